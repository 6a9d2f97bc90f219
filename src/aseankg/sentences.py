"""Sentence splitting for article bodies, with character offsets into the body.

Rule-based and conservative: a sentence ends at ``.``, ``?``, ``!`` or an ellipsis (and any
closing quotes or brackets after it) when the next word starts like a sentence. It does not
end after titles and other abbreviations ("Dr.", "Mr.", "St.", "No. 5", "Jan."), initials
("J. Smith"), dotted acronyms ("U.S.", "H.E."), inside decimals ("1.5"), or at an ellipsis
inside a quotation. Sentences never cross paragraphs (blank lines), and no text is lost: the
sentences of a paragraph cover every non-space character of it, in order.

>>> text = "Dr. J. Smith met U.S. officials. Growth was 1.5%. Why? “Wait... now.” Done"
>>> [s.text for s in split_sentences(text)]
['Dr. J. Smith met U.S. officials.', 'Growth was 1.5%.', 'Why?', '“Wait... now.”', 'Done']
>>> body = "First one. Second one.\\n\\nNew paragraph"
>>> [(s.start, s.end) for s in split_sentences(body)]
[(0, 10), (11, 22), (24, 37)]
"""

from __future__ import annotations

import re

from . import settings
from .model import Sentence

#: Words that end with a full stop without ending the sentence (language data, as in a
#: tokenizer's exception list). Matched with their case.
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Messrs Dr Prof St Mt Ft Gen Lt Col Maj Capt Cmdr Sgt Adm Gov Sen Rep Rev Hon Pres Amb "
    "Jr Sr vs Inc Ltd Co Corp Bros Dept Univ Assn Ave Blvd Rd approx est cf al "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
#: Abbreviations that only hold when a number follows ("No. 5", "Vol. 2").
NUMBER_ABBREVIATIONS = frozenset("No Nos Vol Nr Art Sec Fig Ch pp p".split())
#: Words that start a new sentence even after a dotted acronym ("... the U.S. The talks ...").
SENTENCE_STARTERS = frozenset(
    "The This That These Those It Its He She They We I In On At But And However Meanwhile "
    "According Also Earlier Later There Both Yet".split()
)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Possessive quantifiers and the look-behind keep this linear on long runs of punctuation.
_END = re.compile(r"(?<![.!?…])([.!?…]++)([\"”’')\]]*+)(\s+)(?=(\S))")
_OPENERS = "\"“‘'([«"
_NEXT_WORD = re.compile(r"[\"“‘'(\[]*([^\s\"”’',.;:!?)]*)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _word_before(text: str, end: int) -> str:
    """The run of non-space characters that ends at ``end``, without leading punctuation."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip("\"“‘'([")


def _next_word(text: str, start: int) -> str:
    match = _NEXT_WORD.match(text, start)
    return match.group(1) if match else ""


class _Quotes:
    """Whether a position lies inside a quotation, counting quote marks from the left once."""

    def __init__(self, text: str):
        self.text, self.pos, self.curly, self.straight = text, 0, 0, 0

    def inside(self, pos: int) -> bool:
        seen = self.text[self.pos:pos]
        self.curly += seen.count("“") - seen.count("”")
        self.straight += seen.count('"')
        self.pos = max(self.pos, pos)
        return self.curly > 0 or self.straight % 2 == 1


def _ends_sentence(text: str, match: re.Match[str], quotes: _Quotes, start: int) -> bool:
    terminal, closers = match.group(1), match.group(2)
    following = match.group(4)
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if "?" in terminal or "!" in terminal:
        return True
    ellipsis = terminal.endswith("…") or terminal.endswith("..")
    if any(q in closers for q in "\"”’'"):
        return True  # a closing quote after the full stop or ellipsis ends the sentence
    if ellipsis:
        return not quotes.inside(match.start())
    if closers:
        return True
    word = re.split(r"[-/–]", _word_before(text, match.start(1)))[-1]  # "ASEAN-U.S." → "U.S"
    nxt = _next_word(text, match.end())
    if word.isdigit() and len(word) <= 2 and not text[start:match.start(1) - len(word)].strip():
        return False  # a numbered heading or list item: "1. Regional developments"
    if word in ABBREVIATIONS:
        return False
    if word in NUMBER_ABBREVIATIONS and following.isdigit():
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Smith"
    if _DOTTED.fullmatch(word):
        return nxt in SENTENCE_STARTERS  # "U.S.", "H.E.", "D.C."
    return True


def _split_paragraph(text: str, offset: int) -> list[Sentence]:
    sentences = []
    start = len(text) - len(text.lstrip())
    quotes = _Quotes(text)
    for match in _END.finditer(text):
        if match.start() < start or not _ends_sentence(text, match, quotes, start):
            continue
        end = match.end(2)
        sentences.append(Sentence(offset + start, offset + end, text[start:end]))
        start = match.end()
    end = len(text.rstrip())
    if end > start:
        sentences.append(Sentence(offset + start, offset + end, text[start:end]))
    return sentences


def split_sentences(body: str) -> list[Sentence]:
    """The sentences of ``body``, each with its ``start``/``end`` offsets in ``body``.

    >>> [s.text for s in split_sentences("Mr. Tan met H.E. Jurin Laksanawisit on Jan. 5. He left.")]
    ['Mr. Tan met H.E. Jurin Laksanawisit on Jan. 5.', 'He left.']
    """
    sentences: list[Sentence] = []
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(body):
        sentences.extend(_split_paragraph(body[start:brk.start()], start))
        start = brk.end()
    sentences.extend(_split_paragraph(body[start:], start))
    if any(s.end - s.start > settings.MAX_SENTENCE_CHARS for s in sentences):
        sentences = [piece for s in sentences for piece in _cut(s, settings.MAX_SENTENCE_CHARS)]
    return sentences


def _cut(sentence: Sentence, limit: int) -> list[Sentence]:
    """``sentence`` in pieces of at most ``limit`` characters, cut at the last space before the limit
    (or at the limit, in a run without spaces): an over-long "sentence" is a list, a table or noise,
    and the extractor's cost grows with the square of a sentence's length.

    >>> [s.text for s in _cut(Sentence(10, 21, "aaa bbb ccc"), 8)]
    ['aaa bbb', 'ccc']
    """
    text, pieces, start = sentence.text, [], 0
    while len(text) - start > limit:
        end = text.rfind(" ", start + 1, start + limit + 1)
        end = end if end > start else start + limit
        pieces.append(Sentence(sentence.start + start, sentence.start + end, text[start:end], sentence.part))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        pieces.append(Sentence(sentence.start + start, sentence.end, text[start:], sentence.part))
    return pieces
