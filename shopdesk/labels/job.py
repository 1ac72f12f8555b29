"""A print run: which labels, on which paper, in which design, from which position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import Design
from shopdesk.labels.layout import LabelPlan, plan_label
from shopdesk.labels.notices import LabelWarning
from shopdesk.labels.papers import Paper
from shopdesk.labels.qr import QrCache

MAX_LABELS = 100_000


@dataclass(frozen=True)
class LabelItem:
    content: LabelContent
    copies: int = 1


@dataclass
class PrintJob:
    paper: Paper
    design: Design
    plans: list[LabelPlan]  # one per label to print, in order; equal labels share a plan
    skip: int = 0
    warnings: tuple[LabelWarning, ...] = ()
    qr_cache: QrCache = field(default_factory=QrCache)

    @property
    def label_count(self) -> int:
        return len(self.plans)

    @property
    def page_count(self) -> int:
        per_page = self.paper.labels_per_page
        return -(-(self.skip + len(self.plans)) // per_page) if self.plans else 0


def prepare_job(
    items: Sequence[LabelItem | LabelContent],
    *,
    paper: Paper,
    design: Design,
    skip: int = 0,
    qr_kind: str | None = None,
    qr_cache: QrCache | None = None,
) -> PrintJob:
    """Lay out every distinct label once; collect the warnings to show before printing."""
    per_page = paper.labels_per_page
    if skip < 0 or skip >= per_page:
        raise ValidationError(
            _("Start position {n} does not exist: this paper has labels 1 to {count}.").format(
                n=skip + 1, count=per_page
            )
        )
    cache = qr_cache or QrCache()
    plans: list[LabelPlan] = []
    by_content: dict[LabelContent, LabelPlan] = {}
    warnings: dict[LabelWarning, None] = {}
    for item in items:
        entry = item if isinstance(item, LabelItem) else LabelItem(item)
        if entry.copies < 1:
            raise ValidationError(_("The number of copies must be 1 or more."))
        plan = by_content.get(entry.content)
        if plan is None:
            plan = plan_label(entry.content, design, paper, qr_cache=cache, qr_kind=qr_kind)
            by_content[entry.content] = plan
            warnings.update(dict.fromkeys(plan.warnings))
        if len(plans) + entry.copies > MAX_LABELS:
            raise ValidationError(
                _("That is more than {limit} labels in one run. Print in smaller parts.").format(
                    limit=MAX_LABELS
                )
            )
        plans.extend([plan] * entry.copies)
    if not plans:
        raise ValidationError(_("Nothing to print: choose at least one product."))
    return PrintJob(paper, design, plans, skip, tuple(warnings), cache)
