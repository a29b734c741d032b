"""Reading visible text off pictures: a fast check for text (``text_likely``), Tesseract OCR with
script detection (``ocr``), the rule for when a reading counts as text (``quality``) and the
language of what was read (``language_id``). The ``text`` clue extractor wires them together.
"""
