"""What the words of a job description say: which sections hold no requirement, which requirements are
nice to have, which are qualifications the candidate brings rather than duties of the job, which prose
sentences ask something of the candidate.

Job ads mix what a role asks (responsibilities, skills, experience) with what it offers (benefits, pay),
a blurb about the company, an equal-opportunity statement and how to apply. The parser keeps the first
and skips the rest, saying why (:func:`skip_reason`). A requirement is a must-have unless its document says
otherwise (:func:`priority_of`), and a qualification unless the heading it stands under names the job's
duties or how it is measured (:func:`kind_of`). Every pattern here runs on text from outside and is linear: no two
quantifiers that can match the same characters stand next to each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "KINDS",
    "METRIC",
    "MUST",
    "NICE",
    "QUALIFICATION",
    "RESPONSIBILITY",
    "addresses_candidate",
    "is_requirement_heading",
    "is_requirement_sentence",
    "kind_of",
    "priority_of",
    "sentence_skip_reason",
    "skip_reason",
    "split_sentences",
]

MUST = "must"
NICE = "nice"

_APOS = "(?:'|’)?"

# --- sections that hold no requirement --------------------------------------------------------------------

# (reason, pattern on a section's name), first match wins: "Compensation and benefits" is about pay.
_SKIPPED_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "compensation: what the job pays, not what it asks",
        re.compile(
            r"\b(?:compensation|salary|salaries|pay (?:range|transparency|scale|band)|base pay|remuneration|wages?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "benefits: what the job offers, not what it asks",
        re.compile(
            rf"\b(?:benefits?|perks?|what we offer|we offer|our offer|what{_APOS}s in it for you|why (?:join|work)"
            rf"|total rewards|rewards|what you{_APOS}ll get|why you{_APOS}ll love)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "about the company: a description, not a requirement",
        re.compile(
            r"^(?:about (?!you\b|the (?:role|job|position|opportunity|work|candidate)\b"
            r"|this (?:role|job|position|opportunity)\b)|who we are\b"
            r"|our (?:mission|story|company|culture|values|team)\b"
            r"|company (?:overview|description|profile)\b|the company\b|life at\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "equal opportunity statement: not a requirement",
        re.compile(
            r"equal (?:employment )?opportunit|\beeoc?\b|\bdiversity\b|\binclusion\b|non-?discrimination"
            r"|reasonable accommodation",
            re.IGNORECASE,
        ),
    ),
    (
        "how to apply: not a requirement",
        re.compile(
            r"\b(?:how to apply|to apply|apply now|application process|ready to apply|next steps"
            r"|interview process|hiring process|recruitment process|selection process"
            r"|how we (?:hire|recruit|interview)|our (?:hiring|interview|recruitment) steps)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "eligibility to work (nationality, visa): for the recruiter to check, not a requirement to interview for",
        re.compile(
            r"\b(?:nationality|right to work|work (?:authori[sz]ation|permit)|visa(?: sponsorship)?|immigration)\b",
            re.IGNORECASE,
        ),
    ),
)

# A section that asks something of the candidate: never skipped because of the heading it stands under, and
# its prose is split into requirement sentences when it has no list.
_REQUIREMENT_HEADING = re.compile(
    rf"\b(?:responsibilit\w*|requirements?|qualifications?|duties|skills?|experience|expertise|competenc\w*"
    rf"|profile|who you are|about you|you will|you{_APOS}ll|you have|you bring|you should|you need"
    rf"|looking for|must[- ]haves?|nice[- ]to[- ]haves?|bonus|preferred|desirable|ideal candidate"
    rf"|what you{_APOS}ll do|day[- ]to[- ]day|tasks|in this role|your role)\b",
    re.IGNORECASE,
)


def skip_reason(section: str) -> str | None:
    """Why a section of this name holds no requirement (benefits, pay, company blurb, equal opportunity,
    how to apply), or None when it may hold requirements."""
    for reason, pattern in _SKIPPED_SECTIONS:
        if pattern.search(section):
            return reason
    return None


def is_requirement_heading(section: str) -> bool:
    """Whether a section's name says it lists what the role asks ("Requirements", "What you'll do")."""
    return bool(_REQUIREMENT_HEADING.search(section))


# A line that names the role's own section ("The role", "About the job"): a heading even in plain text with
# no list after it, so that the role does not run on as part of the company's blurb above it. Unlike
# is_requirement_heading it does not make every sentence under it a requirement.
_ROLE_HEADING = re.compile(r"^(?:about )?(?:the|this) (?:role|job|position|opportunity)$", re.IGNORECASE)


def names_a_section(line: str) -> bool:
    """Whether a short line of plain text is a section's name by its words alone: one that holds no
    requirement ("Benefits"), one that lists them ("Requirements"), or the role's own ("The role")."""
    name = line.strip().rstrip(":").strip()
    return skip_reason(name) is not None or is_requirement_heading(name) or bool(_ROLE_HEADING.match(name))


# --- sentences that hold no requirement, wherever they stand -----------------------------------------------

_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?[kK]\b|\b(?:USD|EUR|GBP|CHF|SEK|NOK|DKK)\b")
_PAY_WORD = re.compile(r"\b(?:salary|compensation|pay|paid|remuneration|OTE)\b", re.IGNORECASE)
# A sum per period is pay unless the sentence says it is the money the role manages: "$9M a year" of a budget.
_PER_PERIOD = re.compile(
    r"\b(?:per (?:annum|year|hour|month)|a year|an hour|p\.a)\b|/\s?(?:year|yr|hour|hr|month)\b", re.IGNORECASE
)
_MANAGED_MONEY = re.compile(r"\b(?:budgets?|spend|spending|costs?|bills?|revenue|savings|P&L|funding)\b", re.IGNORECASE)
_EQUAL_OPPORTUNITY = re.compile(
    r"equal (?:employment )?opportunity (?:employer|workplace)|without regard to (?:race|age|sex|gender|religion)"
    r"|regardless of (?:race|age|sex|gender|religion|background)|(?:do not|don't|does not) discriminate"
    r"|committed to (?:diversity|inclusion|an inclusive|equal)",
    re.IGNORECASE,
)
_HOW_TO_APPLY = re.compile(
    r"^(?:to apply\b|apply (?:now|today|via|through|online|here|by)\b|please (?:apply|send|submit)\b"
    r"|send (?:us )?your (?:cv|resume|résumé|application)\b|click (?:on )?apply\b"
    r"|submit your (?:cv|resume|résumé|application)\b)",
    re.IGNORECASE,
)


def sentence_skip_reason(text: str) -> str | None:
    """Why a bullet or sentence is no requirement wherever it stands (a pay range, an equal-opportunity
    statement, how to apply), or None."""
    if _MONEY.search(text) and (
        _PAY_WORD.search(text) or (_PER_PERIOD.search(text) and not _MANAGED_MONEY.search(text))
    ):
        return _SKIPPED_SECTIONS[0][0]
    if _EQUAL_OPPORTUNITY.search(text):
        return _SKIPPED_SECTIONS[3][0]
    if _HOW_TO_APPLY.match(text.strip()):
        return _SKIPPED_SECTIONS[4][0]
    return None


# --- prose -------------------------------------------------------------------------------------------------

# A sentence ends at '.', '!' or '?' followed by white space and a capital, a digit or an opening quote or
# bracket; not after an abbreviation ("e.g. Spark", "Inc. We").
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(‘'])")
_ABBREVIATIONS = frozenset(
    "e.g. i.e. etc. vs. approx. incl. esp. resp. dr. mr. mrs. ms. inc. ltd. co. corp. jr. sr. st. no. u.s. "
    "u.k. e.u. a.k.a. cf. min. max. yrs.".split()
)

# A number of years, in digits or in words ("8+ years", "ten years", "three to five years", "twenty-five
# years", "a dozen years"): a candidate's experience, or a plan's span ("within two years"), never a bare
# "year": "Last year we launched ..." and "an offsite twice a year" are a company's blurb, not requirements.
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_NUMBER = (
    rf"(?:\d+(?:\.\d+)?|{_UNITS}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen"
    rf"|(?:twen|thir|for|fif|six|seven|eigh|nine)ty(?:[\s-](?:{_UNITS}))?|a\s+dozen|several|many)"
)
NUMBER_OF_YEARS = (
    rf"\b{_NUMBER}(?:\s*(?:-|to|or|and)\s*{_NUMBER})?\s*(?:\+|-?\s*plus|\s+or\s+more)?"
    rf"\s*(?:full[\s-]time\s+|more\s+)?(?:years?|yrs)\b"
)

# Words that show a sentence asks something of the candidate or names what the role does.
_ASKS = re.compile(
    rf"\byou\b|\byour\b|\byou{_APOS}(?:ll|re|ve|d)\b|\blooking for\b|\bideal candidate\b|\bcandidates?\b"
    r"|\bexperience\w*\b|\bknowledge\b|\bskill|\babilit(?:y|ies)\b|\bproficien|\bfamiliar|\bunderstanding\b"
    rf"|\bdegree\b|{NUMBER_OF_YEARS}|\bexpertise\b|\bbackground\b|\btrack record\b|\bhands-on\b|\bresponsib"
    r"|\brequired\b|\bmust\b|\bfluen",
    re.IGNORECASE,
)


# A sentence that addresses the candidate with what the job asks or expects ("You will lead ...", "You have
# shipped ...", "we expect you to read code", "Successful candidates must hold ..."): a requirement even in
# prose that stands beside a list elsewhere in the document (a prose ad with a short "nice to have" list).
_ADDRESSED = re.compile(
    rf"\b(?:you(?:{_APOS}ll| will| have| can| hold| understand| bring| must| should| need| know)"
    r"|we expect you|candidates? (?:must|should|will need))\b",
    re.IGNORECASE,
)


def addresses_candidate(sentence: str) -> bool:
    """Whether a prose sentence tells the candidate what the job asks or expects of them ("You will lead a
    team ...", "You hold a PhD ...", "Successful candidates must hold ..."), at least four words long."""
    return len(sentence.split()) >= 4 and not sentence.rstrip().endswith("?") and bool(_ADDRESSED.search(sentence))


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of a prose paragraph, in order (abbreviations such as "e.g." do not end one)."""
    paragraph = " ".join(paragraph.split())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(paragraph):
        word_start = paragraph.rfind(" ", start, m.start()) + 1  # from the right: the last word only
        if paragraph[max(word_start, start) : m.start()].lower() in _ABBREVIATIONS:
            continue  # "e.g. Spark" goes on
        out.append(paragraph[start : m.start()])
        start = m.end()
    out.append(paragraph[start:])
    return [s for s in out if s]


def is_requirement_sentence(sentence: str, *, in_requirement_section: bool) -> bool:
    """Whether a prose sentence reads as a requirement: at least four words, not a question, and (outside a
    section that lists requirements) words that ask something of the candidate ("you", "experience",
    "degree", "years"...). A company's blurb ("We are a team of 4,000 people") is not one."""
    words = sentence.split()
    if len(words) < 4 or sentence.rstrip().endswith("?"):
        return False
    return in_requirement_section or bool(_ASKS.search(sentence))


# --- must-have or nice-to-have -----------------------------------------------------------------------------

# A requirement is a must-have unless its document says otherwise: a section titled as optional ("Nice to
# have", "Bonus points", "Preferred qualifications", "Pluses"), or the bullet itself marked so, as the
# shipped profile does: "Open source contributions or published papers (preferred)". A marker closing a
# list qualifies only its last entry: "Languages: Python (expert), SQL, Scala/Java (preferred)" still
# requires Python.
_OPTIONAL_WORDS = r"nice[- ]to[- ]haves?|bonus(?:es)?|preferred|desirable|optional|pluses|plus|advantage(?:ous)?"
# A section or lead-in that says its list is optional ("It would also help if you have:", "Helpful:").
_OPTIONAL_SECTION = re.compile(
    rf"\b(?:{_OPTIONAL_WORDS}|helpful|would (?:also )?(?:help|be (?:great|nice|helpful)))\b", re.IGNORECASE
)
_OPTIONAL_LEAD = re.compile(
    rf"^(?:(?:{_OPTIONAL_WORDS})(?:\s*:|\s+[-\u2013]\s)|ideally\b|bonus points?\b|it would be (?:great|nice|a plus)\b)",
    re.IGNORECASE,
)
_OPTIONAL_TAIL = re.compile(
    rf"(?:\((?:{_OPTIONAL_WORDS}|a plus|a bonus)\)|\b(?:is|are|would be)(?: also)? (?:a |an )?(?:{_OPTIONAL_WORDS})"
    r"|\b(?:is|are) not (?:required|essential|mandatory|a must))[\s.;!]*$",
    re.IGNORECASE,
)


def priority_of(section: str, text: str, enclosing: Iterable[str] = ()) -> str:
    """:data:`NICE` for a requirement its document marks as optional, else :data:`MUST`.

    Optional: a section (or a heading it stands under, ``enclosing``) titled so, or the requirement itself
    marked so as a whole ("... (preferred)", "... is a plus", "... but is not required", "Bonus: ...",
    "Ideally, ...").
    """
    if _OPTIONAL_SECTION.search(section) or any(_OPTIONAL_SECTION.search(h) for h in enclosing):
        return NICE
    stripped = text.strip()
    if _OPTIONAL_LEAD.match(stripped):
        return NICE
    tail = _OPTIONAL_TAIL.search(stripped)
    if tail is None:
        return MUST
    # "(preferred)" after a list marks its last entry only; "... is a plus" or "... is not required" is said
    # of the whole sentence, however many commas its subject holds ("pgvector, Pinecone or Weaviate").
    closes_a_list = tail.group().lstrip().startswith("(") and "," in stripped[: tail.start()]
    return MUST if closes_a_list else NICE


# --- qualification, responsibility or measure --------------------------------------------------------------

# What a requirement is, from the heading it stands under: a QUALIFICATION the candidate must bring
# ("Requirements", "Key Experience Required", "Technical Skills Required", "To excel in this role, you should
# have"), a RESPONSIBILITY of the job ("Key Responsibilities", "What you'll do", "Your typical day will
# involve", "As the ML Engineering Manager, you will") or a METRIC the job is measured by ("Success
# Metrics", "KPIs"). Interviews sample responsibilities through the competencies; a loop must assess every
# qualification that is a must-have (bank.checks.is_must_have).
QUALIFICATION = "qualification"
RESPONSIBILITY = "responsibility"
METRIC = "metric"
KINDS = (QUALIFICATION, RESPONSIBILITY, METRIC)

_METRIC_HEADING = re.compile(
    r"\b(?:success (?:metrics|measures|criteria|factors)|metrics|kpis?|key performance indicators?"
    r"|what success looks like|how (?:we|you) (?:will |are |'ll )?(?:be )?measured?|how success is measured)\b",
    re.IGNORECASE,
)
# Checked before the duties: "To excel in this role, you should have" and "What you'll bring" ask for
# qualifications although they say "in this role" or "you'll".
_QUALIFICATION_HEADING = re.compile(
    rf"\b(?:requirements?|required|qualifications?|qualified|skills?|experience|expertise|competenc\w*"
    rf"|background|profile|knowledge|education|certifications?|who you are|about you"
    rf"|you (?:will |should |must |would |already )?(?:have|bring|need|possess)|you{_APOS}(?:ll|d) (?:have|bring|need)"
    rf"|what you bring|you{_APOS}re (?:someone|a|an)\b|looking for|must[- ]haves?|nice[- ]to[- ]haves?|bonus"
    rf"|preferred|desirable|ideal candidate|to (?:excel|succeed|thrive)|you (?:will |should )?(?:excel|thrive))\b",
    re.IGNORECASE,
)
_RESPONSIBILITY_HEADING = re.compile(
    rf"\b(?:responsibilit\w*|duties|accountabilit\w*|you will|you{_APOS}ll|you{_APOS}re going to|day[- ]to[- ]day"
    rf"|typical day|your day|tasks|in this role|your role|the role|the job|your impact|what you{_APOS}ll do"
    rf"|what you will do|you will be doing|what you{_APOS}ll work on|your mission|the mission|as (?:the|a|an|our)\b)",
    re.IGNORECASE,
)


def _kind_of_heading(heading: str) -> str | None:
    if _METRIC_HEADING.search(heading):
        return METRIC
    if _QUALIFICATION_HEADING.search(heading):
        return QUALIFICATION
    if _RESPONSIBILITY_HEADING.search(heading):
        return RESPONSIBILITY
    return None


def kind_of(section: str, enclosing: Iterable[str] = ()) -> str:
    """:data:`QUALIFICATION`, :data:`RESPONSIBILITY` or :data:`METRIC`: what the nearest heading that says
    so calls the requirement, its own section first, then the headings it stands under from the innermost
    ("Team Leadership" under "Key Responsibilities" is a responsibility; "Production ML Systems" under "Key
    Experience Required" a qualification). A requirement no heading classifies is a qualification, as a
    requirement is a must-have unless its document says otherwise."""
    for heading in (section, *reversed(tuple(enclosing))):
        kind = _kind_of_heading(heading)
        if kind is not None:
            return kind
    return QUALIFICATION
