"""A hypothesis state machine of the stock ledger against a simple model.

Receive, sell (as sales), damage, give away, void, double void, void a sale,
write off expired batches and stocktake with sales in between, in random
order. After every step: cache == ledger == model for every variant and
batch, no batch below zero. Each removal must take exactly the batches the
model's first-expiry-first-out plan names; what goes to a customer (sold,
sample) skips batches expired on its day, refused when only they are left
unless expired stock is allowed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from shopdesk import catalog, profiles, sales, stock, store
from shopdesk.clock import local_today
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.stock import stocktake
from shopdesk.store.models import Batch, Variant
from tests.conftest import empty_test_server

BASE = date(2026, 1, 1)


@dataclass
class ModelBatch:
    id: int
    code: str
    produced: date | None
    expires: date | None
    on_hand: int = 0


@dataclass
class ModelVariant:
    sku: str
    total: int = 0
    batches: dict[str, ModelBatch] = field(default_factory=dict)

    @property
    def loose(self) -> int:
        return self.total - sum(b.on_hand for b in self.batches.values())

    def fefo(self) -> list[ModelBatch]:
        return sorted(
            (b for b in self.batches.values() if b.on_hand > 0),
            key=lambda b: (
                b.expires is None,
                b.expires or BASE,
                b.produced is None,
                b.produced or BASE,
                b.id,
            ),
        )

    def plan(self, quantity: int, batch_code: str | None = None) -> list[tuple[str | None, int]]:
        """(batch code or None for loose, units) as stock.take must do it."""
        if batch_code:
            batch = self.batches[batch_code]
            part = min(quantity, max(batch.on_hand, 0))
            steps = [(batch_code, part)] if part else []
        else:
            steps, left = [], quantity
            for batch in self.fefo():
                if left == 0:
                    break
                part = min(batch.on_hand, left)
                steps.append((batch.code, part))
                left -= part
        rest = quantity - sum(part for _c, part in steps)
        if rest:
            steps.append((None, rest))
        return steps

    def customer_plan(
        self, quantity: int, day: date, allow_expired: bool, batch_code: str | None = None
    ) -> list[tuple[str | None, int]] | None:
        """The plan of a sale or sample on ``day``: fresh batches, the loose
        pool, then expired batches; None when those are needed but not allowed."""
        if batch_code:
            batch = self.batches[batch_code]
            stale = batch.expires is not None and batch.expires < day
            return None if stale and not allow_expired else self.plan(quantity, batch_code)
        fresh = [b for b in self.fefo() if b.expires is None or b.expires >= day]
        expired = [b for b in self.fefo() if b.expires is not None and b.expires < day]
        steps = _fill(fresh, quantity)
        short = quantity - sum(part for _c, part in steps) - max(self.loose, 0)
        if short > 0 and expired:
            if not allow_expired:
                return None
            steps += _fill(expired, short)
        rest = quantity - sum(part for _c, part in steps)
        return [*steps, (None, rest)] if rest else steps

    def apply(self, code: str | None, quantity: int) -> None:
        self.total += quantity
        if code is not None:
            self.batches[code].on_hand += quantity


def _fill(batches: list[ModelBatch], quantity: int) -> list[tuple[str | None, int]]:
    steps: list[tuple[str | None, int]] = []
    left = quantity
    for batch in batches:
        if left == 0:
            break
        part = min(batch.on_hand, left)
        steps.append((batch.code, part))
        left -= part
    return steps


@dataclass
class ModelMove:
    id: int
    variant: int
    code: str | None
    quantity: int
    reason: str
    sale: int | None
    voided: bool = False


class StockMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="shopdesk-sm-")
        self.old_home = os.environ.get("SHOPDESK_HOME")
        os.environ["SHOPDESK_HOME"] = self.folder
        empty_test_server()  # the examples before this one wrote there
        store.open_database()
        op = profiles.create_operator(password="rahasia-operator")
        profiles.create_seller(op, login="kopi", display_name="Sri", pin="111111", shop_name="K")
        self.session = profiles.seller_login(login="kopi", pin="111111")
        self.variants: list[ModelVariant] = []
        for name, shelf in (("Kopi Bubuk", 0), ("Keripik Balado", 30)):
            info = catalog.create_product(
                self.session, name=name, price=20_000, cost=12_000, shelf_life_days=shelf
            )
            self.variants.append(ModelVariant(info.variants[0].sku))
        self.moves: dict[int, ModelMove] = {}
        self.sales: dict[int, bool] = {}  # number -> voided
        self.batch_counter = 0

    def teardown(self) -> None:
        if hasattr(self, "folder"):
            store.close_database()
            if self.old_home is None:
                os.environ.pop("SHOPDESK_HOME", None)
            else:
                os.environ["SHOPDESK_HOME"] = self.old_home
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers ---------------------------------------------------------

    def _record(self, index: int, infos, reason: str, sale: int | None = None) -> None:
        for info in infos:
            self.moves[info.id] = ModelMove(
                info.id, index, info.batch_code, info.quantity, reason, sale
            )

    def _expect_plan(self, index: int, infos, plan) -> None:
        got = [(m.batch_code, -m.quantity) for m in infos]
        assert got == plan, (got, plan)
        for code, part in plan:
            self.variants[index].apply(code, -part)

    # --- rules -------------------------------------------------------------

    @rule(
        index=st.integers(0, 1),
        quantity=st.integers(1, 40),
        produced=st.one_of(st.none(), st.integers(-20, 20)),
        life=st.one_of(st.none(), st.integers(0, 60)),
        existing=st.booleans(),
    )
    def receive(self, index, quantity, produced, life, existing) -> None:
        model = self.variants[index]
        if existing and model.batches:
            code = sorted(model.batches)[0]
            info = stock.receive(self.session, sku=model.sku, quantity=quantity, batch_code=code)
        else:
            self.batch_counter += 1
            code = f"B{self.batch_counter:03d}"
            produced_on = BASE + timedelta(days=produced) if produced is not None else None
            expires_on = (
                produced_on + timedelta(days=life) if produced_on and life is not None else None
            )
            info = stock.receive(
                self.session,
                sku=model.sku,
                quantity=quantity,
                batch_code=code,
                produced_on=produced_on,
                expires_on=expires_on,
            )
            row = Batch.get(Batch.code == code)
            model.batches[code] = ModelBatch(row.id, code, row.produced_on, row.expires_on)
        assert info.batch_code == code
        model.apply(code, quantity)
        self._record(index, [info], stock.RECEIVED)

    @rule(
        index=st.integers(0, 1),
        quantity=st.integers(1, 30),
        allow_negative=st.booleans(),
        reason=st.sampled_from(("damaged", "sample", "expired")),
        named=st.booleans(),
        allow_expired=st.booleans(),
    )
    def remove(self, index, quantity, allow_negative, reason, named, allow_expired) -> None:
        model = self.variants[index]
        code = sorted(model.batches)[-1] if named and model.batches else None
        refused = model.total - quantity < 0 and not allow_negative
        if code and model.batches[code].on_hand < quantity and not allow_negative:
            refused = True
        plan = model.plan(quantity, code)
        if reason == "sample":  # to a customer: today's expiry rule
            today = local_today(self.session.timezone)
            customer = model.customer_plan(quantity, today, allow_expired, code)
            refused = refused or customer is None
            plan = customer or plan
        try:
            infos = stock.remove(
                self.session,
                sku=model.sku,
                quantity=quantity,
                reason=reason,
                batch_code=code,
                allow_negative=allow_negative,
                allow_expired=allow_expired,
            )
        except ValidationError:
            assert refused
            return
        assert not refused
        self._expect_plan(index, infos, plan)
        self._record(index, infos, reason)

    @rule(
        q0=st.integers(0, 12),
        q1=st.integers(0, 12),
        allow_negative=st.booleans(),
        allow_expired=st.booleans(),
        days=st.integers(-5, 80),
    )
    def sell(self, q0, q1, allow_negative, allow_expired, days) -> None:
        wanted = [(i, q) for i, q in enumerate((q0, q1)) if q]
        if not wanted:
            return
        day = BASE + timedelta(days=days)
        plans = {i: self.variants[i].customer_plan(q, day, allow_expired) for i, q in wanted}
        refused = any(
            self.variants[i].total - q < 0 and not allow_negative for i, q in wanted
        ) or any(plan is None for plan in plans.values())
        try:
            sale = sales.record_sale(
                self.session,
                lines=[(self.variants[i].sku, q) for i, q in wanted],
                payment="cash",
                allow_negative=allow_negative,
                allow_expired=allow_expired,
                at=datetime.combine(day, time(5, 0)),  # UTC: noon of that day in the shop (WIB)
            )
        except ValidationError:
            assert refused
            return
        assert not refused
        assert sale.total == sum(q * 20_000 for _i, q in wanted)
        moves = stock.history(self.session, reason="sold", limit=1000)
        for i, _q in wanted:
            mine = sorted(
                (
                    m
                    for m in moves
                    if m.variant_id == Variant.get(Variant.sku == self.variants[i].sku).id
                    and m.id not in self.moves
                ),
                key=lambda m: m.id,
            )
            self._expect_plan(i, mine, plans[i])
            self._record(i, mine, "sold", sale=sale.number)
        self.sales[sale.number] = False

    @rule(data=st.data(), allow_negative=st.booleans())
    def void_movement(self, data, allow_negative) -> None:
        if not self.moves:
            return
        move = self.moves[data.draw(st.sampled_from(sorted(self.moves)))]
        model = self.variants[move.variant]
        batch_after = (
            model.batches[move.code].on_hand - move.quantity if move.code is not None else 0
        )
        refused = (
            move.reason == "void"
            or move.sale is not None
            or move.voided
            or batch_after < 0
            or (model.total - move.quantity < 0 and not allow_negative)
        )
        try:
            info = stock.void_movement(
                self.session, movement_id=move.id, allow_negative=allow_negative
            )
        except ValidationError as exc:
            assert refused, exc
            if move.voided and move.sale is None and move.reason != "void":
                assert f"movement {move.id}" in str(exc).lower() or "sudah" in str(exc)
            return
        assert not refused
        assert info.reverses_id == move.id and info.quantity == -move.quantity
        move.voided = True
        model.apply(move.code, -move.quantity)
        self.moves[info.id] = ModelMove(
            info.id, move.variant, move.code, -move.quantity, "void", None
        )

    @rule(data=st.data())
    def double_void(self, data) -> None:
        voided = [m for m in self.moves.values() if m.voided]
        if not voided:
            return
        move = data.draw(st.sampled_from(voided))
        try:
            stock.void_movement(self.session, movement_id=move.id, allow_negative=True)
        except ValidationError:
            return
        raise AssertionError("a double void was accepted")

    @rule(data=st.data())
    def void_sale(self, data) -> None:
        if not self.sales:
            return
        number = data.draw(st.sampled_from(sorted(self.sales)))
        try:
            sales.void_sale(self.session, number=number)
        except ValidationError:
            assert self.sales[number]
            return
        assert not self.sales[number]
        self.sales[number] = True
        for move in [m for m in self.moves.values() if m.sale == number]:
            move.voided = True
            self.variants[move.variant].apply(move.code, -move.quantity)

    @rule(days=st.integers(-5, 80))
    def write_off_expired(self, days) -> None:
        today = BASE + timedelta(days=days)
        infos = stock.write_off_expired(self.session, today=today)
        expected = sorted(
            (model.sku, b.code, b.on_hand)
            for model in self.variants
            for b in model.batches.values()
            if b.on_hand > 0 and b.expires is not None and b.expires < today
        )
        got = sorted((m.sku, m.batch_code, -m.quantity) for m in infos)
        assert got == expected
        for info in infos:
            index = next(i for i, v in enumerate(self.variants) if v.sku == info.sku)
            self.variants[index].apply(info.batch_code, info.quantity)
            self._record(index, [info], "expired")

    @rule(
        index=st.integers(0, 1),
        counted=st.integers(0, 60),
        sold_after=st.integers(0, 3),
        scans=st.booleans(),
    )
    def stocktake(self, index, counted, sold_after, scans) -> None:
        model = self.variants[index]
        stocktake.start_count(self.session, skus=[model.sku])
        if scans and counted <= 5:
            for _i in range(counted):
                stocktake.scan(self.session, code=model.sku)
            if counted == 0:
                stocktake.enter_count(self.session, sku=model.sku, counted=0)
        else:
            stocktake.enter_count(self.session, sku=model.sku, counted=counted)
        expected = model.total
        if sold_after and model.total >= sold_after:  # the shop stays open
            quantities = (sold_after, 0) if index == 0 else (0, sold_after)
            self.sell(*quantities, allow_negative=False, allow_expired=True, days=0)
        difference = counted - expected
        before = set(self.moves)
        stocktake.post_count(self.session)
        new = [
            m
            for m in stock.history(self.session, reason="stocktake", limit=1000)
            if m.id not in before
        ]
        if difference < 0:
            self._expect_plan(index, sorted(new, key=lambda m: m.id), model.plan(-difference))
        elif difference > 0:
            assert [(m.batch_code, m.quantity) for m in new] == [(None, difference)]
            model.apply(None, difference)
        else:
            assert not new
        self._record(index, new, "stocktake")

    # --- invariants ---------------------------------------------------------

    @invariant()
    def cache_equals_ledger_equals_model(self) -> None:
        if not hasattr(self, "session"):
            return
        report = stock.check(self.session)
        assert report.ok, report
        for model in self.variants:
            info = stock.stock(self.session, sku=model.sku)
            assert info.on_hand == model.total
            assert info.loose == model.loose
            variant_id = Variant.get(Variant.sku == model.sku).id
            assert stock.lot_on_hand(variant_id, None) == model.loose
            for batch in model.batches.values():
                assert stock.lot_on_hand(variant_id, batch.id) == batch.on_hand >= 0


StockMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("SHOPDESK_SM_EXAMPLES", "40")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestStockLedger = StockMachine.TestCase


def test_machine_model_is_not_vacuous() -> None:
    """The model's FEFO plan itself: earliest expiry first, undated last, then loose."""
    v = ModelVariant("X")
    v.batches = {
        "A": ModelBatch(1, "A", None, None, 5),
        "B": ModelBatch(2, "B", BASE, BASE + timedelta(days=10), 2),
        "C": ModelBatch(3, "C", BASE, BASE + timedelta(days=3), 1),
    }
    v.total = 8
    assert v.plan(10) == [("C", 1), ("B", 2), ("A", 5), (None, 2)]
    assert isinstance(ShopDeskError("x"), Exception)
