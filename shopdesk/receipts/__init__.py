"""Receipts of a sale: a small PDF (58 mm thermal roll or A6) and a WhatsApp text.

``content`` gathers what a receipt says (the shop, the lines, paid and still
owed); ``pdf`` draws it; ``whatsapp`` writes it as a message and a wa.me link.
"""
