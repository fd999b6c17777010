"""Bad input: each mistake an editor can make gets its own clear `path:line: message (hint)`.

Every case is a fixture under tests/fixtures/bad/<case>/: files dropped into a copy of the
minimal valid site in tests/fixtures/bad/_base/ (with the real templates). The test runs
`build.py check` in-process and compares the exact lines it prints.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

import pytest

from statement_archive import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "bad"
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<warning>warning: )?(?P<message>.+?)(?: \((?P<hint>[^()]+)\))?$")
S = "content/statements/"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_entry", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()


def make_site(target: Path, case: str | None = None) -> Path:
    """A copy of the minimal valid site with the real templates, and the case's files dropped in."""
    shutil.copytree(FIXTURES / "_base", target)
    shutil.copytree(REPO / "templates", target / "templates")
    if case:
        shutil.copytree(FIXTURES / case, target, dirs_exist_ok=True)
    return target


def run(root: Path, *argv: str, capsys) -> tuple[int, list[str], str]:
    """Run a build.py command in-process; return (exit status, problem lines, everything printed)."""
    capsys.readouterr()
    status = cli.run(BUILD.parse_args(list(argv)), root)
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    problems = [line for line in captured.err.splitlines() if PROBLEM_LINE.match(line) and not line.startswith("error:")]
    return status, problems, printed


# case -> every problem line `check` must print, exactly (hints are checked separately below).
CASES = {
    "missing-required-key": [f"{S}2025-01-10-no-outlet.md:1: missing required key 'outlet'"],
    "unknown-key": [f"{S}2025-01-10-typo.md:5: unknown key 'speakrs'"],
    "curly-quoted-title": [f"{S}2025-01-10-curly.md:2: warning: title: the value is wrapped in curly quotes, which are "
                           "kept as part of it"],
    "utf16-file": [f"{S}2025-01-10-notepad.md:1: the file is saved as UTF-16, not UTF-8"],
    "name-with-look-alike-letters": [
        f"{S}2025-01-10-look-alike.md:5: warning: 'Мария Захаровa' is not in the registry, but is almost 'Maria "
        "Zakharova': 'Захаровa' mixes Cyrillic and Latin letters that look alike",
        # The invisible character shown where it stands, as an escape: the problem's line shows what to retype.
        f"{S}2025-01-10-look-alike.md:6: warning: 'Sergey\\u200bMarkov' is not in the registry, but is almost 'Sergey "
        "Markov': it holds the invisible character U+200B"],
    "quote-cuts-a-word": [f"{S}2025-01-10-cut.md:8: warning: quotes: the text 'e welcome the talk' begins or ends "
                          "inside a word of paragraph p1"],
    "withdrawn-empty": [f"{S}2025-01-10-withdrawn.md:5: withdrawn: expected a 'date' and a 'reason', got nothing"],
    "placeholder-text": [f"{S}2025-01-10-placeholder.md:7: the text is still the placeholder 'build.py new' wrote"],
    "registry-name-not-file-name": [
        "content/people/john-doe.md:2: warning: the name 'Jane Roe' shares no word with the address /people/john-doe/, "
        "which comes from the file's name",
        "content/people/sergey-markov.md:2: warning: the name 'Dmitry Peskov' shares no word with the address "
        "/people/sergey-markov/, which comes from the file's name"],
    "alias-differs-in-case": [
        "content/people/ali-hasanov.md:3: warning: the name 'mariya zakharova' is written like 'Mariya Zakharova' of "
        "content/people/maria-zakharova.md, apart from case, accents, punctuation or alphabet",
        "content/people/maria-zakharova.md:3: warning: the name 'Mariya Zakharova' is written like 'mariya zakharova' "
        "of content/people/ali-hasanov.md, apart from case, accents, punctuation or alphabet"],
    # One person twice: in Azerbaijani Latin, and as the English-language press spells it (ə as a, not e).
    "entry-spelt-as-the-press-spells-another": [
        "content/people/samir-abbasov.md:2: warning: the name 'Samir Abbasov' is written like 'Səmir Abbasov' of "
        "content/people/semir-abbasov.md, apart from case, accents, punctuation or alphabet",
        "content/people/semir-abbasov.md:2: warning: the name 'Səmir Abbasov' is written like 'Samir Abbasov' of "
        "content/people/samir-abbasov.md, apart from case, accents, punctuation or alphabet"],
    "quotes-inside-quotes": [f"{S}2025-01-10-inner.md:8: malformed YAML in the front matter: expected <block end>, "
                             "but found '<scalar>', while parsing a block mapping that starts on line 7"],
    "same-text": [f"{S}2025-01-11-copy.md:8: warning: the text is the same as that of {S}2025-01-10-first.md"],
    "curly-quoted-name": [f"{S}2025-01-10-curly-name.md:5: warning: speakers: '“Maria Zakharova”' is wrapped in curly "
                          "quotes, which are read as part of the name"],
    "speaker-also-mentioned": [
        f"{S}2025-01-10-mentioned.md:7: warning: mentions: 'Mariya Zakharova' names Maria Zakharova, already among the "
        "statement's speakers",
        f"{S}2025-01-10-mentioned.md:7: warning: mentions: 'Russian Foreign Ministry' names Russian Foreign Ministry, "
        "already among the statement's organisations"],
    "quote-look-alike-marks": [
        f"{S}2025-01-10-marks.md:8: quotes: the text 'The \"Justice for Khojaly\" campaign goes on' is not in any "
        "paragraph of the statement",
        f"{S}2025-01-10-marks.md:10: quotes: the text '“we are always happy to see guests”' is not in any paragraph of "
        "the statement"],
    "misnamed-content-folder": ["content/statement/:1: warning: not read: the build reads only the folders statements/, "
                                "people/, organisations/, events/, outlets/, places/ of content/"],
    "same-source-url": [f"{S}2025-01-12-report.md:5: warning: source_url: {S}2025-01-11-report.md reports the same article"],
    "comment-cuts-value": [
        f"{S}2025-01-10-hash.md:2: warning: the text after ' #' is read as a comment, so only 'Zakharova on Resolution' is kept",
        f"{S}2025-01-10-hash.md:9: warning: the text after ' #' is read as a comment, so only 'We welcome the talks on "
        "resolution' is kept"],
    "guessed-mark-left": [f"{S}2025-01-10-draft.md:{n}: warning: {key}: this value is still marked '# guessed' by the "
                          "importer" for n, key in ((4, "title"), (5, "date"), (7, "speakers"))],
    "wrong-type-string-for-list": [f"{S}2025-01-10-string.md:5: speakers: expected a list, got a single text"],
    "wrong-type-list-for-string": [f"{S}2025-01-10-list.md:2: title: expected a single text, got a list"],
    "wrong-type-mapping-for-list": [f"{S}2025-01-10-mapping.md:5: places: expected a list, got a mapping of keys to values"],
    "items-not-text": [
        f"{S}2025-01-10-items.md:7: speakers: item 2 should be a single text, got a list",
        f"{S}2025-01-10-items.md:8: speakers: item 3 should be a single text, got an empty item",
    ],
    "impossible-date": [f"{S}2023-02-30-impossible.md:3: date: '2023-02-30' is not a real calendar date"],
    "unparseable-date": [f"{S}2025-03-05-words.md:3: date: '5 March 2025' is not a date in the form YYYY-MM-DD"],
    "merge-conflict": [f"{S}2025-01-10-conflict.md:9: the file holds a merge conflict: lines '<<<<<<<', '=======' and "
                       "'>>>>>>>' from git"],
    "number-date": [f"{S}2025-01-10-number.md:3: date: '20250110' is not a date in the form YYYY-MM-DD"],
    "future-date": [f"{S}2999-01-01-future.md:3: warning: date: 2999-01-01 is in the future"],
    "file-name-date-differs": [f"{S}2025-01-10-briefing.md:3: warning: date: 2025-01-01 is not the date the file's "
                               "name begins with (2025-01-10)"],
    "malformed-yaml": [f"{S}2025-01-10-yaml.md:5: malformed YAML in the front matter: the double quote that opens "
                       "this line's value is not closed on the line"],
    # A control of the text's direction pasted into a name showed the names after it, and the rest of a citation,
    # backwards; in a text, the rest of its paragraph.
    "direction-control": [
        "content/people/ivan-petrov.md:2: name: the invisible control character U+202E (a control of the text's "
        "direction, which shows what follows it reordered) is in the value",
        f"{S}2025-01-10-direction.md:9: the text contains the invisible control character U+2067 (a control of the "
        "text's direction, which shows what follows it reordered)"],
    # The title's quote left open runs on to the '""' of title_note, where YAML stops, as in a file `new` wrote:
    # the line told is the title's.
    "unclosed-quote": [f"{S}2025-01-10-unclosed.md:2: malformed YAML in the front matter: the double quote that "
                       "opens this line's value is not closed on the line"],
    "malformed-yaml-colon": [f"{S}2025-01-10-colon.md:2: malformed YAML in the front matter: mapping values are not "
                             "allowed here"],
    "tab-indentation": [f"{S}2025-01-10-tab.md:6: malformed YAML in the front matter: found character '\\t' that "
                        "cannot start any token"],
    "yaml-tag": [f"{S}2025-01-10-tag.md:3: malformed YAML in the front matter: the value '2025-13-45' tagged "
                 "'!!timestamp' is not a date"],
    "deep-nesting": [f"{S}2025-01-10-deep.md:5: the YAML is nested too deeply"],
    "deep-indentation": ["content/people/ivan-petrov.md:108: this line of the text is indented 404 columns, "
                         "too deep for Markdown"],
    "control-character-escaped": [f"{S}2025-01-10-escaped.md:5: summary: the invisible control character U+000B is "
                                  "in the value"],
    # YAML's escape of one half of a surrogate pair: no page could be written with it (blamed on a template).
    "surrogate-escaped": [f"{S}2025-01-10-surrogate.md:2: title: the invisible control character U+D800 (half of a "
                          "surrogate pair, which no text may hold alone) is in the value"],
    "control-character-in-text": [f"{S}2025-01-10-mojibake.md:9: the text contains the invisible control character "
                                  "U+0093"],
    # An optional key left with no value (or only spaces): an edit left unfinished, told at its line; "" and [] are
    # "none", untold.
    "optional-key-empty": ["content/places/hotel-ukraina.md:4: warning: within: the key is empty, and is read as if "
                           "it were not there",
                           "content/places/hotel-ukraina.md:5: warning: aliases: the key is empty, and is read as if "
                           "it were not there",
                           f"{S}2025-01-10-unfinished.md:6: warning: event: the key is empty, and is read as if it "
                           "were not there",
                           f"{S}2025-01-10-unfinished.md:10: warning: date_note: the key is empty, and is read as if it "
                           "were not there"],
    "required-key-empty": [f"{S}2025-01-10-empty-title.md:2: required key 'title' is empty",
                           f"{S}2025-01-11-blank-title.md:2: required key 'title' is empty"],  # spaces only
    "listed-twice": [f"{S}2025-01-10-twice.md:5: warning: speakers: 'Maria Zakharova' is listed twice"],
    "same-entity-twice": [f"{S}2025-01-10-same.md:7: warning: speakers: 'Mariya Zakharova' names the same entity as "
                          "an earlier item"],
    "quotes-not-a-list": [f"{S}2025-01-10-quotes.md:6: quotes: expected a list of 'speaker'/'text' pairs, got a text"],
    "quote-wrong-keys": [f"{S}2025-01-10-quote-keys.md:8: quotes: item 1: unknown key 'said': a quotation takes "
                         "'speaker', 'text' and 'note' only"],
    # Told at the line of the key left empty, not of the quotation; a key left out, at the quotation's.
    "quote-without-text": [f"{S}2025-01-10-quote-empty.md:8: quotes: item 1 has no text"],
    "quote-without-speaker": [f"{S}2025-01-10-quote-unsaid.md:7: quotes: item 1 has no speaker name"],
    "quote-note-empty": [f"{S}2025-01-10-quote-note.md:9: quotes: item 1 has an empty note"],
    "quote-unknown-key": [f"{S}2025-01-10-quote-source.md:9: quotes: item 1: unknown key 'nots': a quotation takes "
                          "'speaker', 'text' and 'note' only"],
    "role-given-twice": [f"{S}2025-01-10-two-roles.md:8: roles: 'Mariya Zakharova' is given a second role"],
    "withdrawn-without-date": [f"{S}2025-01-10-withdrawn-undated.md:7: withdrawn: the date is missing"],
    "corrections-not-a-list": [f"{S}2025-01-10-corrections.md:5: corrections: expected a list of 'date'/'note' pairs, "
                               "got a text"],
    "correction-without-note": [f"{S}2025-01-10-correction-note.md:7: corrections: item 1 has no note",
                                f"{S}2025-01-10-correction-note.md:8: corrections: item 2 must have the keys 'date' and "
                                "'note'"],
    "correction-out-of-order": [f"{S}2025-01-10-correction-order.md:6: corrections: 2025-01-09 is before the statement's date",
                                f"{S}2025-01-10-correction-order.md:10: corrections: item 3 is dated before the one above it"],
    "withdrawn-without-reason": [f"{S}2025-01-10-withdrawn.md:7: withdrawn: the reason is missing"],
    "withdrawn-not-a-mapping": [f"{S}2025-01-10-withdrawn-yes.md:5: withdrawn: expected a 'date' and a 'reason'"],
    "roles-not-a-mapping": [f"{S}2025-01-10-roles.md:6: roles: expected names with their roles, got a list"],
    "role-without-text": [f"{S}2025-01-10-role-empty.md:7: roles: the role of 'Maria Zakharova' should be a single "
                          "text, got nothing"],
    "role-not-a-person-of-the-statement": [f"{S}2025-01-10-role-other.md:8: roles: 'Sergey Markov' is not among the "
                                           "statement's speakers or the people it mentions"],
    "registry-slug-collision": ["content/people/zakharova-maria.md:3: slug 'maria-zakharova' is already used by "
                                "content/people/maria-zakharova.md"],
    "alias-claimed-by-two-statements": [f"{S}2025-01-11-second.md:5: alias /statements/2024/12/31/old/ is already an "
                                        f"alias of {S}2025-01-10-first.md"],
    "alias-unusable-path": [f"{S}2025-01-10-alias-path.md:5: aliases: '/statements/2025/01/10/zakharova–briefing/' "
                            "is not a usable site path"],
    "alias-own-address": [f"{S}2025-01-10-own.md:5: alias /statements/2025/01/10/own/ is this statement's own "
                          "address"],
    "slug-not-a-slug": [f"{S}2025-01-10-upper.md:5: slug: 'Zakharova_Briefing' is not a slug: only lower-case ASCII "
                        "letters, digits and single hyphens"],
    "alias-folder-clash": [f"{S}2025-01-10-folder.md:7: alias /statements/old.html is a folder of another page's "
                           "address"],
    # Not a page's address but the files beside one: check passed it, and the build failed with "Is a directory".
    "alias-makes-a-folder-of-a-file": [f"{S}2025-01-10-into.md:5: alias /statements/2025/03/20/briefing/statement.json/ "
                                       "would make a folder of /statements/2025/03/20/briefing/statement.json, a file of "
                                       f"{S}2025-03-20-briefing.md"],
    # Each names a folder: the build failed with "File name too long".
    "slug-too-long": [f"{S}2025-01-10-long.md:5: slug: 'word-word-word-word-word-word-word-word-...' is 299 characters "
                      "long; it names a folder, and a folder's name may have at most 255",
                      f"{S}2025-01-10-long.md:6: aliases: '/statements/2001/02/03/old-old-old-old-old-old-old-old-old-"
                      "o...' has a part of 279 characters; each part names a folder or file, whose name may have at "
                      "most 255"],
    "template-not-found": ["templates/person.html:3: template not found: _no_such_partial.html"],
    "control-character": [f"{S}2025-01-10-control.md:5: malformed YAML in the front matter: the invisible control "
                          "character U+0007 is not allowed in YAML"],
    "duplicate-key": [f"{S}2025-01-10-twice.md:5: the key 'title' is given twice, first on line 2"],
    "null-and-number-keys": [
        f"{S}2025-01-10-keys.md:5: a key with no name is not a valid key name",
        f"{S}2025-01-10-keys.md:6: unknown key '2025'",  # a number written as a key is a name like any other
    ],
    "front-matter-not-mapping": [f"{S}2025-01-10-list.md:2: the front matter must be 'key: value' lines"],
    "no-closing-fence": [f"{S}2025-01-10-no-fence.md:1: the front matter has no closing '---' fence"],
    "no-opening-fence": [f"{S}2025-01-10-no-start.md:1: the file does not start with a '---' front-matter fence"],
    "empty-file": [f"{S}2025-01-10-empty.md:1: the file is empty"],
    "no-body": [f"{S}2025-01-10-no-body.md:5: the statement has no text after the front matter"],
    "not-utf8": [f"{S}2025-01-10-latin1.md:5: not valid UTF-8: byte 0xe9 at byte offset 64"],
    "bom-crlf": [],
    "duplicate-url": [
        f"{S}2025-03-20-briefing-copy.md:5: this statement would have the same URL /statements/2025/03/20/briefing/ "
        f"as {S}2025-03-20-briefing.md",
        f"{S}2025-03-20-briefing.md:3: this statement would have the same URL /statements/2025/03/20/briefing/ "
        f"as {S}2025-03-20-briefing-copy.md",
    ],
    "slug-dotdot": [f"{S}2025-01-10-dots.md:5: slug: '../../etc' must be a single URL segment, without '/', '..' or a scheme"],
    "slug-slash": [f"{S}2025-01-10-slash.md:5: slug: '2025/other' must be a single URL segment, without '/', '..' or a scheme"],
    "slug-scheme": [f"{S}2025-01-10-scheme.md:5: slug: 'javascript:alert(1)' must be a single URL segment, "
                    "without '/', '..' or a scheme"],
    "alias-dotdot": [f"{S}2025-01-10-alias-dots.md:7: aliases: '/statements/../../etc/passwd' must not contain "
                     "'..', '.', '?' or '#'"],
    "alias-a-file": [f"{S}2025-01-10-alias-file.md:6: aliases: '/statements/2025/01/09/old-slug/statement.json' is the "
                     "address of a file, not of a page"],
    "alias-scheme": [f"{S}2025-01-10-alias-scheme.md:6: aliases: 'https://elsewhere.example/statements/x/' is a full "
                     "address or has a scheme; an alias is a path on this site"],
    "alias-absolute-path": [f"{S}2025-01-10-alias-root.md:6: alias /people/sergey-markov/ is outside /statements/ and "
                            "could hide a page of the site"],
    "alias-backslash": [f"{S}2025-01-10-alias-backslash.md:6: aliases: 'statements\\2025\\old' contains a backslash; "
                        "an alias is a web path, not a file path"],
    "alias-differs-in-case-from-page": [
        f"{S}2025-01-10-case-clash.md:6: alias /statements/2025/03/20/Briefing/ is, but for the case of its letters, "
        "which many file systems and hosts do not tell apart, the address of content/statements/2025-03-20-briefing.md"],
    "alias-collides-with-page": [f"{S}2025-01-10-alias-clash.md:6: alias /statements/2025/03/20/briefing/ is the "
                                 f"address of {S}2025-03-20-briefing.md"],
    "alias-claimed-twice": ["content/people/maria-zakharova.md:3: the name 'Mariya Zakharova' is also claimed by "
                            "content/people/mariya-zakharova-junior.md",
                            "content/people/mariya-zakharova-junior.md:5: the name 'Mariya Zakharova' is also claimed "
                            "by content/people/maria-zakharova.md"],
    "unknown-name": [f"{S}2025-01-10-unknown.md:5: warning: 'Ivan Petrov' is not in content/people/; "
                     "it gets a page of its own"],
    "near-miss-name": [
        f"{S}2025-01-10-near.md:6: warning: 'sergey markov' is not in the registry, but is almost 'Sergey Markov'",
        f"{S}2025-01-10-near.md:7: warning: 'Sergey-Markov' is not in the registry, but is almost 'Sergey Markov'",
        f"{S}2025-01-10-near.md:8: warning: 'СЕРГЕЙ МАРКОВ' is not in the registry, but is almost 'Sergey Markov'",
        f"{S}2025-01-10-near.md:9: warning: 'Sergei Markow' is not in the registry, but is almost 'Sergey Markov'",
        # Four letters apart: a different name as far as the build can tell.
        f"{S}2025-01-10-near.md:10: warning: 'Serguei Markoff' is not in content/people/; "
        "it gets a page of its own",
    ],
    # An error: published, the ministry would have a person page of its own, with the statement on it.
    "name-of-another-kind": [f"{S}2025-01-10-kind.md:5: 'Russian Foreign Ministry' is registered as an "
                             "organisation in content/organisations/russian-foreign-ministry.md, not as a person"],
    "quote-not-a-speaker": [f"{S}2025-01-10-quote.md:9: quotes: 'Maria Zakharova' is not among the statement's "
                            "speakers or organisations"],
    "quote-speaker-misspelt-in-speakers": [
        f"{S}2025-01-10-misspelt.md:5: warning: 'Maria Zaharova' is not in the registry, but is almost 'Maria Zakharova'",
        f"{S}2025-01-10-misspelt.md:7: quotes: 'Maria Zakharova' is not among the statement's speakers or organisations"],
    "quote-not-in-text": [f"{S}2025-01-10-quote-text.md:8: quotes: the text 'Words never said' is not in any "
                          "paragraph of the statement"],
    "registry-missing-reference": [
        "content/events/press-conference.md:4: place 'Moskow' is not in the registry, but is almost 'Moscow'",
        "content/events/press-conference.md:7: organiser 'Ministry of Truth' is not in content/organisations/",
    ],
    "registry-links-to-missing-statement": [
        "content/people/ivan-petrov.md:7: the link to /statements/2025/03/21/no-such-statement/ leads to no page "
        "of this site",
        "content/people/ivan-petrov.md:8: the link to /organisations/ministry-of-truth/ leads to no page of this site",
    ],
    # A relative link is read from the text's page; a full one by the site's own address (base_url) is a link in
    # the site too. The correct ones (../../../03/20/briefing/#p1, .../people/maria-zakharova/) and the link
    # out of the site say nothing.
    "statement-links-relative-or-full-address": [
        f"{S}2025-01-10-links.md:10: the link to ../../../../people/maria-zakharova/ leads to no page of this site: "
        "from this text's page it is /statements/people/maria-zakharova/",
        f"{S}2025-01-10-links.md:11: the link to https://statements.example.org/archive/statements/2025/03/21/briefing/ "
        "leads to no page of this site",
        f"{S}2025-01-10-links.md:13: the link to ../../../../../../people/maria-zakharova/ climbs above the site's root "
        "from this text's page",
        f"{S}2025-01-10-links.md:14: the link to http://statements.example.org/archive/people/nobody/ leads to no page "
        "of this site",
    ],
    # A link to a file the build does not publish is broken too; every page and file it makes may be linked to (an
    # entity's old address, a feed, a statement's record, a month's folder, the data, the assets, the home page).
    # An image is dropped with its words, and a link to an address the page may not link to (javascript:, data:)
    # with its address; mailto: and https: are kept.
    "statement-links-to-files": [
        f"{S}2025-01-10-files.md:7: the link to /data/nope.csv leads to no file of this site",
        f"{S}2025-01-10-files.md:7: the link to /files/decree.pdf leads to no file of this site",
        f"{S}2025-01-10-files.md:9: warning: '![The minister at the briefing](/images/minister.jpg)' is an image, "
        "which the page does not show: it leaves out the image and its words, 'The minister at the briefing'",
        f"{S}2025-01-10-files.md:16: warning: a link to a 'data:' address is not kept: the page shows its words "
        "without the link",
        f"{S}2025-01-10-files.md:16: warning: a link to a 'javascript:' address is not kept: the page shows its words "
        "without the link",
    ],
    # The indented line after a list item continues it; the one after a paragraph is a block of code.
    "indented-text": [f"{S}2025-01-10-indented.md:15: warning: this line is indented by four spaces or a tab, so the "
                      "page shows it and the lines after it as code, not as paragraphs"],
    # A renamed entry whose new name was left among its aliases: the page would list it as another spelling.
    "alias-is-the-name": ["content/people/rashad-quliyev.md:3: warning: aliases: 'Rashad Quliyev' is the entry's name"],
    # A file pasted in whole under its own front matter: one warning, not the underline's; an entry's too.
    "front-matter-twice": ["content/people/vladimir-putin.md:5: warning: the text begins with front matter again, "
                           "between lines of '---': the page would show its keys as a heading of the text",
                           f"{S}2025-01-10-twice.md:7: warning: the text begins with front matter again, between lines "
                           "of '---': the page would show its keys as a heading of the text"],
    # Each dash taken for a bullet, in a blockquote too; not one that stays in its paragraph, nor a plain list.
    "dialogue-dash": [f"{S}2025-01-10-dialogue.md:{n}: warning: this line begins with '- ', so the page shows it as an "
                      "item of a list, without the dash" for n in (9, 14)],
    "pin-near-miss": [f"{S}2025-01-10-pins.md:{n}: '{pin}' looks like a pinned paragraph id, but is not one, so the page "
                      "would show it as text" for n, pin in ((7, "{: #p1}"), (9, "{ #p2 }"), (11, "{#p3a}"), (13, "{#p4}"))]
                     + [f"{S}2025-01-10-pins.md:15: '{{#p01}}' at the end of a paragraph is not a paragraph id"],
    "pin-below-its-place": [f"{S}2025-01-10-pins.md:11: the pinned id #p1a comes after #p2, the paragraph before it"],
    "text-marks": [
        f"{S}2025-01-10-marks.md:9: warning: this line begins with '#', so the page shows it as a heading, without the "
        "'#', and it has no paragraph number to cite",
        f"{S}2025-01-10-marks.md:11: warning: the line under this one is all '-' or '=', so the page shows this line "
        "as a heading, with no paragraph number to cite",
        f"{S}2025-01-10-marks.md:14: warning: this line begins a block of HTML: the page shows its text, but with no "
        "paragraph numbers, and statement.json leaves it out",
        f"{S}2025-01-10-marks.md:16: warning: '<signed by the minister>' reads as an HTML tag, so the page leaves it "
        "out, words and all",
        f"{S}2025-01-10-marks.md:18: warning: the text ', the Taliban and others (' is shown in italics or bold, "
        "without the asterisks or underscores around it",
        f"{S}2025-01-10-marks.md:22: warning: '<a terrorist organisation banned in Russia>' reads as an HTML tag, so "
        "the page leaves it out, words and all",
    ],
    "text-shows-nothing": [f"{S}2025-01-10-nothing.md:7: the statement's text shows nothing on the page: it holds only "
                           "marks, a comment or characters that are not shown"],
    "statement-in-the-registry": ["content/people/2025-01-10-briefing.md:1: this file has the keys of a statement "
                                  "(date, outlet, title), not of an entry of content/people/"],
    # HTML a site trusts (trust_html) may write a link HREF='…' or without quotes: such links are checked too.
    "trusted-html-links": [
        f"{S}2025-01-10-links.md:7: the link to /statements/2025/03/21/briefing/ leads to no page of this site",
        f"{S}2025-01-10-links.md:8: the link to /people/nobody/ leads to no page of this site",
    ],
    "statement-links-to-missing-paragraph": [
        f"{S}2025-01-10-links.md:8: the link to /statements/2025/03/20/briefing/#p7 leads to a paragraph that "
        "does not exist",
    ],
    "entity-bad-keys": [
        "content/people/ivan-petrov.md:3: role: expected a single text, got a list",
        "content/people/ivan-petrov.md:4: unknown key 'birthday'",
    ],
    "old-url-collides-with-page": [
        "content/people/sergei-markov.md:5: old_urls: /people/sergey-markov/ is the address of "
        "content/people/sergey-markov.md",
        "content/people/sergei-markov.md:6: old_urls: /people/sergei-markov/ is this entry's own address",
    ],
    "old-url-claimed-twice": ["content/people/pyotr-ivanov.md:4: old_urls: /people/petrov/ is already an old address "
                              "of content/people/ivan-petrov.md"],
    "old-url-not-entity-address": [
        "content/organisations/ministry-of-truth.md:4: old_urls: '/statements/2025/03/20/briefing/' is not the "
        "address of an entity page",
        "content/organisations/ministry-of-truth.md:5: old_urls: '/organisations/Ministry_Of_Truth/' is not the "
        "address of an entity page",
        "content/organisations/ministry-of-truth.md:6: old_urls: '/organisations/ministry-of-truth/feed.xml' is not "
        "the address of an entity page",
    ],
    "old-url-scheme": ["content/people/ivan-petrov.md:3: old_urls: 'https://elsewhere.example/people/ivan/' is a full "
                       "address or has a scheme; an old address is a path on this site"],
    "pin-not-an-id": [f"{S}2025-01-10-pins.md:9: '{{#intro}}' at the end of a paragraph is not a paragraph id"],
    "pin-twice": [f"{S}2025-01-10-pins.md:11: the paragraph id #p1a is pinned twice, first on line 9"],
    "pin-out-of-order": [f"{S}2025-01-10-pins.md:11: the pinned id #p3 comes after #p4"],
    "pin-already-given": [f"{S}2025-01-10-pins.md:11: the pinned id #p2 is the id of an earlier paragraph"],
    "pin-in-a-list-item": [f"{S}2025-01-10-pins.md:10: the pinned id #p1a is not at the end of a paragraph"],
    "too-many-brackets": [f"{S}2025-01-10-brackets.md:9: this paragraph has 4500 '[' that would slow Markdown down "
                          "by seconds or far more"],
    # A line break in an address (YAML's "\n") was let through, as urlsplit drops it, into pages and citations.
    "bad-url": [f"{S}2025-01-10-url.md:5: source_url: 'apa.az/news/1' is not a web address",
                f"{S}2025-01-11-url-break.md:5: source_url: 'https://apa.az/news/1 ER -' is not a web address: it "
                "holds a space or a line break"],
    "template-syntax-error": ["templates/person.html:4: template syntax error: unexpected '%'"],
    "template-undefined": ["templates/person.html:3: template error while rendering /people/maria-zakharova/: "
                           "'dict object' has no attribute 'no_such_field'"],
    "many-problems": [
        "content/people/ivan-petrov.md:3: unknown key 'rol'",
        f"{S}2025-01-10-a.md:5: unknown key 'speakrs'",
        f"{S}2025-01-11-b.md:3: date: '2025-02-30' is not a real calendar date",
    ],
}

# Hints that must be there, word for word, for the cases where the fix is the point.
HINTS = {
    "unknown-key": "did you mean 'speakers'?",
    "missing-required-key": "add a line such as 'outlet: APA'",
    "not-utf8": "save the file with UTF-8 encoding",
    "tab-indentation": "indent with spaces",
    "malformed-yaml-colon": "put the value in double quotes if it contains ': '",
    "quote-speaker-misspelt-in-speakers": "'Maria Zaharova' in 'speakers' is almost 'Maria Zakharova': correct it "
                                          "there, and the quotation is attributed",
    "quote-not-a-speaker": "add the name to 'speakers' or 'organisations', or correct the quotation's 'speaker:'",
    "near-miss-name": "did you mean Sergey Markov? if so, add 'sergey markov' to the aliases in "
                      "content/people/sergey-markov.md",
    "registry-missing-reference": "did you mean Moscow? if so, add 'Moskow' to the aliases in content/places/moscow.md",
    "optional-key-empty": "fill it in, as in 'within: Moscow', or delete the line",
    "many-problems": "did you mean 'role'?",
    "old-url-not-entity-address": "an old address of this entry is its folder and its old slug, such as "
                                  "'/organisations/old-slug/'",
    "old-url-scheme": "write it as '/people/old-slug/'",
    # An editor who added the second paragraph and pinned the old second one: pin the added one instead.
    "quotes-inside-quotes": "a value between double quotes ends at the next '\"': write a '\"' inside it as '\\\"', "
                            "or put the value between single quotes instead",
    "pin-already-given": "if the paragraph before it, now #p2, was added, pin that one instead, as #p1a after #p1, and "
                         "remove this pin; else pin an id after #p2, such as #p2a",
}


def test_every_fixture_has_a_case_and_every_case_a_fixture():
    fixtures = {p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "_base"}
    assert fixtures == set(CASES)


def test_the_base_site_has_no_problem_at_all(tmp_path, capsys):
    status, problems, printed = run(make_site(tmp_path / "site"), "check", capsys=capsys)
    assert (status, problems) == (0, []), printed


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_reports_each_mistake_at_its_line(case, tmp_path, capsys):
    root = make_site(tmp_path / "site", case)
    status, problems, printed = run(root, "check", capsys=capsys)
    assert "Traceback" not in printed
    shown = [PROBLEM_LINE.match(line) for line in problems]
    without_hints = [line[: m.start("hint") - 2] if m.group("hint") else line for line, m in zip(problems, shown)]
    assert without_hints == CASES[case], printed
    assert problems == sorted(problems, key=_sort_key), "problems are printed sorted by file and line"
    assert all(m.group("hint") for m in shown), f"every problem says what to do:\n{printed}"
    if case in HINTS:
        assert any(HINTS[case] in (m.group("hint") or "") for m in shown), printed
    errors = [line for line in problems if ": warning: " not in line]
    assert status == (1 if errors else 0), printed
    assert f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)" in printed


def _sort_key(line: str):
    m = PROBLEM_LINE.match(line)
    return (m.group("path"), int(m.group("line")))


@pytest.mark.parametrize("case, hints", [
    ("quote-look-alike-marks", ["paragraph p1 has '“' where the quotation has '\"' after 'The '; copy the words exactly",
                                "paragraph p2 has the words without the quotation marks around them; leave those out"]),
    ("curly-quoted-name", ['write it between straight double quotes instead, as "Maria Zakharova"']),
    ("misnamed-content-folder", ["move its files into content/statements/"]),
    ("same-text", ["if this is the same statement added twice, delete one of the files"]),
])
def test_the_hint_says_what_differs_and_what_to_do(case, hints, tmp_path, capsys):
    """A quotation with ' for the text's ’, or in quotation marks the text does not have: the hint says so; the
    advice for a name in curly quotes is to write straight ones, not to make the marks an alias."""
    _, problems, printed = run(make_site(tmp_path / "site", case), "check", capsys=capsys)
    given = [PROBLEM_LINE.match(line).group("hint") for line in problems]
    assert len(given) == len(hints) and all(h.startswith(w) for h, w in zip(given, hints)), printed


def test_a_name_in_curly_quotes_is_read_without_them(tmp_path, capsys):
    root = make_site(tmp_path / "site", "curly-quoted-name")
    assert run(root, "--output", str(tmp_path / "out"), capsys=capsys)[0] == 0
    page = (tmp_path / "out" / "statements/2025/01/10/curly-name/index.html").read_text(encoding="utf-8")
    assert 'href="/people/maria-zakharova/"' in page and "“Maria Zakharova”" not in page


@pytest.mark.parametrize("case", ["future-date", "file-name-date-differs", "unknown-name", "near-miss-name", "comment-cuts-value",
                                  "guessed-mark-left"])
def test_warnings_alone_pass_but_fail_with_strict(case, tmp_path, capsys):
    root = make_site(tmp_path / "site", case)
    assert run(root, "check", capsys=capsys)[0] == 0
    status, problems, printed = run(root, "check", "--strict", capsys=capsys)
    assert status == 1 and problems, printed
    assert all(": warning: " not in line for line in problems), "--strict reports warnings as errors"
    status, _, printed = run(root, "build", "--strict", "--output", str(tmp_path / "out"), capsys=capsys)
    assert status == 1 and not (tmp_path / "out").exists(), printed


def test_an_unknown_name_still_gets_its_page(tmp_path, capsys):
    root = make_site(tmp_path / "site", "unknown-name")
    status, problems, printed = run(root, "build", "--output", str(tmp_path / "out"), capsys=capsys)
    assert status == 0, printed
    assert len(problems) == 1
    page = tmp_path / "out" / "people" / "ivan-petrov" / "index.html"
    assert "Ivan Petrov" in page.read_text(encoding="utf-8")


def test_a_byte_order_mark_and_crlf_line_endings_are_read_as_usual(tmp_path, capsys):
    root = make_site(tmp_path / "site", "bom-crlf")
    assert (root / S / "2025-01-10-windows.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    status, problems, printed = run(root, "build", "--output", str(tmp_path / "out"), capsys=capsys)
    assert (status, problems) == (0, []), printed
    page = (tmp_path / "out" / "statements" / "2025" / "01" / "10" / "windows" / "index.html").read_text(encoding="utf-8")
    assert "A statement" in page and "The text of the statement." in page
    assert "\r" not in page and "\ufeff" not in page
    assert 'href="/people/maria-zakharova/"' in page, "the speaker on a CRLF line resolved like any other"


def test_check_writes_nothing(tmp_path, capsys):
    root = make_site(tmp_path / "site", "future-date")
    before = _snapshot(tmp_path)
    assert run(root, "check", "--output", str(tmp_path / "out"), capsys=capsys)[0] == 0
    assert run(root, "check", capsys=capsys)[0] == 0
    assert _snapshot(tmp_path) == before


def test_check_after_a_build_reads_its_cache_writes_nothing_and_finds_the_same_problems(tmp_path, capsys,
                                                                                        monkeypatch):
    """With a cache from an earlier build, check uses it (only files changed since are read again)
    but still writes nothing, neither the site nor the cache, and reports exactly what a check with
    no cache reports."""
    from statement_archive import load

    root = make_site(tmp_path / "site")
    assert run(root, "build", "--output", str(tmp_path / "out"), capsys=capsys)[0] == 0
    assert (root / ".cache").is_dir()
    shutil.copytree(FIXTURES / "many-problems", root, dirs_exist_ok=True)
    changed = {p.relative_to(FIXTURES / "many-problems").as_posix() for p in (FIXTURES / "many-problems").rglob("*.md")}
    before = _snapshot(tmp_path)
    read = []
    real = load.load_file
    monkeypatch.setattr(load, "load_file", lambda path, root: read.append(path.relative_to(root).as_posix()) or real(path, root))
    status, problems, _ = run(root, "check", "--output", str(tmp_path / "out"), capsys=capsys)
    assert status == 1 and len(problems) == 3
    assert set(read) == changed  # the rest came from the build's cache
    assert _snapshot(tmp_path) == before
    shutil.rmtree(root / ".cache")
    assert run(root, "check", "--output", str(tmp_path / "out"), capsys=capsys)[:2] == (status, problems)


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in sorted(folder.rglob("*"))}


def test_a_full_disk_under_the_builds_temporary_file_names_its_folder_and_keeps_the_site(tmp_path, capsys,
                                                                                        monkeypatch):
    """The feeds' and data files' pieces wait in a file in the cache folder (cache.Spool): when that
    disk is full, the error names that folder, not the output, whose disk may have room."""
    import errno
    import io
    import tempfile

    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    edited = next((root / "content" / "statements").glob("*.md"))  # a build with something to do
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA paragraph added.\n", encoding="utf-8")

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: Full())
    status, _, printed = run(root, "build", "--output", str(out), capsys=capsys)
    cache_folder = root / ".cache" / "statement-archive"
    assert status == 1 and "Traceback" not in printed
    assert f"error: could not write the build's temporary file in {cache_folder}: No space left on device" in printed
    assert printed.splitlines()[-1] == f"Build failed: 1 error(s); the site in {out.resolve()} was left as it was."
    assert _snapshot(out) == before


def test_every_failed_build_ends_by_saying_what_became_of_the_site(tmp_path, capsys):
    """A mistake in site.yaml, a folder the build refuses or a cache it cannot write stopped the build with its
    error, and without the line that every other failed build ends with: the editor was not told the site stood."""
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    site_yaml = root / "site.yaml"
    good = site_yaml.read_text(encoding="utf-8")

    def last_line(*argv: str) -> str:
        capsys.readouterr()
        status = cli.run(BUILD.parse_args(["build", *argv]), root)
        printed = capsys.readouterr().err
        assert status == 1 and "Traceback" not in printed, printed
        return printed.splitlines()[-1]

    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    left, nothing = f"the site in {out.resolve()} was left as it was.", "nothing was written to {}."
    site_yaml.write_text(good + "colour: red\n", encoding="utf-8")
    assert last_line("--output", str(out)) == f"Build failed: 1 error(s); {left}"
    # Without --output, the folder site.yaml names (output_dir: public), where nothing was built yet.
    assert last_line() == "Build failed: 1 error(s); " + nothing.format((root / "public").resolve())
    # A site.yaml that cannot be parsed, or whose output_dir is refused, does not say where the site is.
    site_yaml.write_text(good + ": x\n", encoding="utf-8")
    assert last_line() == "Build failed: 1 error(s); nothing was written."
    assert last_line("--output", str(out)) == f"Build failed: 1 error(s); {left}"
    site_yaml.write_text("title: T\noutput_dir: 3\n", encoding="utf-8")
    assert last_line() == "Build failed: 1 error(s); nothing was written."
    site_yaml.write_text(good, encoding="utf-8")
    # A folder the build refuses is no site of its, whatever it holds.
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert last_line("--output", str(tmp_path / "a-file")) == \
        "Build failed: 1 error(s); " + nothing.format((tmp_path / "a-file").resolve())
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("someone else's", encoding="utf-8")
    assert last_line("--output", str(foreign)) == "Build failed: 1 error(s); " + nothing.format(foreign.resolve())
    # A template's mistake, and the content folder gone, as before.
    base = root / "templates" / "base.html"
    template = base.read_text(encoding="utf-8")
    base.write_text(template + "{% if %}\n", encoding="utf-8")
    assert last_line("--output", str(out)) == f"Build failed: 1 error(s); {left}"
    base.write_text(template, encoding="utf-8")
    (root / "content").rename(root / "content.away")
    assert last_line("--output", str(out)) == f"Build failed: 1 error(s); {left}"
    (root / "content.away").rename(root / "content")
    assert _snapshot(out) == before


def test_check_tells_the_output_folder_a_build_would_refuse_as_the_build_does(tmp_path, capsys):
    """`check --output templates`, or an output_dir of content/ or of the project, said '0 error(s)', and the build
    after it refused the folder: check now says what the build would, in its words, and counts it as an error."""
    root = make_site(tmp_path / "site")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("someone else's", encoding="utf-8")
    site_yaml = root / "site.yaml"
    good = site_yaml.read_text(encoding="utf-8")
    real = root.resolve()

    def refused(output: Path, where: str) -> str:
        return f"error: refusing to use {output} as the output folder: {where}; choose a folder of its own, such as 'public'"

    cases = [  # (the options, site.yaml's output_dir, what the build says)
        (["--output", "templates"], "public", refused(real / "templates", f"it is or contains {real / 'templates'}")),
        ([], "content", refused(real / "content", f"it is or contains {real / 'content'}")),
        ([], "content/site", refused(real / "content" / "site", f"it is inside {real / 'content'}, which the build reads")),
        ([], ".", refused(real, f"it is or contains {real}")),
        (["--output", str(tmp_path / "a-file")], "public",
         f"error: refusing to replace {(tmp_path / 'a-file').resolve()}: it is a file, not a folder; choose another output folder "
         "(--output, or output_dir in site.yaml)"),
        (["--output", str(foreign)], "public",
         f"error: refusing to replace {foreign.resolve()}: it is not empty and was not made by this build (no "
         ".statement-archive-output file); choose another output folder (--output, or "
         "output_dir in site.yaml), or empty it yourself")]
    for argv, output_dir, line in cases:
        site_yaml.write_text(good.replace("output_dir: public", f"output_dir: {output_dir}"), encoding="utf-8")
        status, _, printed = run(root, "build", *argv, capsys=capsys)
        assert status == 1 and printed.splitlines()[0] == line, printed
        status, problems, printed = run(root, "check", *argv, capsys=capsys)
        assert (status, problems) == (1, []) and printed.splitlines() == [line, "1 error(s), 0 warning(s)"], printed
    # The content is still checked: its problems are told with the folder's, and counted with it.
    site_yaml.write_text(good, encoding="utf-8")
    shutil.copytree(FIXTURES / "many-problems", root, dirs_exist_ok=True)
    status, problems, printed = run(root, "check", "--output", "content", capsys=capsys)
    assert status == 1 and len(problems) == 3 and printed.splitlines()[0].startswith("error: refusing to use ")
    assert printed.splitlines()[-1] == "4 error(s), 0 warning(s)", printed
    assert sorted(p.name for p in root.iterdir()) == ["content", "site.yaml", "templates"]


def test_a_build_with_errors_exits_1_and_leaves_the_published_site_as_it_was(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    shutil.copytree(FIXTURES / "many-problems", root, dirs_exist_ok=True)
    status, problems, printed = run(root, "build", "--output", str(out), capsys=capsys)
    assert status == 1 and len(problems) == 3, printed
    assert "the site in" in printed and "was left as it was" in printed
    assert _snapshot(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".staging-", ".retired-"))], \
        "no staging folder left behind"


def test_statements_the_build_cannot_read_fail_it_instead_of_vanishing_from_the_site(tmp_path, capsys):
    """A renamed folder of statements, a link that loops or leads nowhere: the site would be published without
    those statements, as if deleted. A file or folder that is not read is a warning."""
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    statements = root / "content" / "statements"
    statements.rename(root / "content" / "Statements")
    status, problems, _ = run(root, "build", "--output", str(out), capsys=capsys)
    assert (status, problems) == (1, [  # and the renamed folder is named, with where its files go
        "content/Statements/:1: warning: not read: the build reads only the folders statements/, people/, organisations/, "
        "events/, outlets/, places/ of content/ (move its files into content/statements/)",
        f"{S}:1: the folder of statements is missing (statements are read from "
        "content/statements/: check that it was not renamed or moved)"])
    (root / "content" / "Statements").rename(statements)
    (statements / "2025-01-11-loop.md").symlink_to("2025-01-11-loop.md")
    (statements / "2025-01-12-gone.md").symlink_to("elsewhere.md")
    (statements / "2025-01-13-upper.MD").write_text("---\n", encoding="utf-8")
    (statements / "drafts").mkdir()
    os.mkfifo(statements / "2025-01-14-pipe.md")  # reading it would wait for a writer for ever
    (statements / "2025-01-15-zero.md").symlink_to("/dev/zero")  # reading it would fill the memory
    status, problems, _ = run(root, "build", "--output", str(out), capsys=capsys)
    assert status == 1 and [p.split(" (")[0] for p in problems] == [
        f"{S}2025-01-11-loop.md:1: cannot be read: too many levels of symbolic links",
        f"{S}2025-01-12-gone.md:1: cannot be read: it is a link to a file that does not exist",
        f"{S}2025-01-13-upper.MD:1: warning: not read: only files whose names end in '.md' are",
        f"{S}2025-01-14-pipe.md:1: cannot be read: it is not a file but a device, a pipe or a socket",
        f"{S}2025-01-15-zero.md:1: cannot be read: it is not a file but a device, a pipe or a socket",
        f"{S}drafts/:1: warning: not read: folders inside content/statements/ are not read"], problems
    assert _snapshot(out) == before


def test_a_template_error_in_build_leaves_the_published_site_as_it_was(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    shutil.copytree(FIXTURES / "template-syntax-error", root, dirs_exist_ok=True)
    status, problems, printed = run(root, "build", "--output", str(out), capsys=capsys)
    assert status == 1 and problems == [p + " (fix the tag or expression on that line; every '{%' needs its '%}' "
                                        "and every block its end tag)" for p in CASES["template-syntax-error"]], printed
    assert _snapshot(out) == before


def test_any_error_an_expression_in_a_template_raises_is_reported_at_its_line_by_build_and_check(tmp_path, capsys):
    """Not only Jinja's own errors: a division by zero in an edited template was a traceback from `build`."""
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(root, "build", "--output", str(out), capsys=capsys)[0] == 0
    before = _snapshot(out)
    template = root / "templates" / "person.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "{{ 1 / 0 }}")
    template.write_text("\n".join(lines), encoding="utf-8")
    expected = ["templates/person.html:3: template error while rendering /people/maria-zakharova/: division by zero "
                "(fix the expression on that line)"]
    for command in ("build", "check"):
        status, problems, printed = run(root, command, "--output", str(out), capsys=capsys)
        assert (status, problems) == (1, expected) and "Traceback" not in printed, printed
    assert _snapshot(out) == before


def test_a_broken_partial_is_reported_once_at_its_own_line(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    (root / "templates" / "_cards.html").write_text("<ul>\n{{ card.title }\n</ul>\n", encoding="utf-8")
    status, problems, printed = run(root, "check", capsys=capsys)
    assert status == 1
    assert [line.split(" (")[0] for line in problems] == ["templates/_cards.html:2: template syntax error: unexpected '}'"]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_template_that_is_not_utf8_is_named_with_its_byte_offset(tmp_path, capsys, command):
    """Said once, by check and by the build alike: not as an error of every page template that includes it."""
    root = make_site(tmp_path / "site")
    (root / "templates" / "_cards.html").write_bytes(b"<ul>\n<li>Caf\xe9</li>\n</ul>\n")
    status, problems, printed = run(root, command, capsys=capsys)
    assert status == 1
    assert [line.split(" (")[0] for line in problems] == [
        "templates/_cards.html:2: not valid UTF-8: byte 0xe9 at byte offset 12"]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_site_yaml_or_template_that_cannot_be_read_is_an_error_not_a_traceback(tmp_path, capsys, command):
    root = make_site(tmp_path / "site")
    (root / "site.yaml").rename(root / "site.yaml.kept")
    (root / "site.yaml").mkdir()  # a folder where the file should be: the same error as a file one may not read
    status, problems, printed = run(root, command, capsys=capsys)
    assert status == 1 and problems == ["site.yaml:1: cannot read site.yaml: Is a directory (make site.yaml a file "
                                        "this user may read, as the README describes it)"]
    (root / "site.yaml").rmdir()
    for make in (os.mkfifo, lambda path: path.symlink_to("/dev/zero")):  # reading them would never end, or fill memory
        make(root / "site.yaml")
        status, problems, printed = run(root, command, capsys=capsys)
        assert status == 1 and problems == ["site.yaml:1: cannot read site.yaml: it is not a file but a device, a pipe "
                                            "or a socket (make site.yaml a file this user may read, as the README "
                                            "describes it)"]
        (root / "site.yaml").unlink()
    (root / "site.yaml.kept").rename(root / "site.yaml")
    (root / "templates" / "_cards.html").unlink()
    (root / "templates" / "_cards.html").mkdir()
    (root / "templates" / "_cards.html" / "x.html").symlink_to(root / "templates" / "nowhere.html")
    status, problems, printed = run(root, command, capsys=capsys)
    assert status == 1 and "Traceback" not in printed


def test_a_non_utf8_byte_after_a_byte_order_mark_is_counted_from_the_start_of_the_file(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    (root / S / "2025-01-10-bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: Caf\xe9\n")
    status, problems, _ = run(root, "check", capsys=capsys)
    assert [line.split(" (")[0] for line in problems] == [f"{S}2025-01-10-bom.md:2: not valid UTF-8: byte 0xe9 at byte offset 17"]


def test_a_typo_in_one_key_does_not_hide_the_files_other_problems(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    (root / S / "2025-01-10-two.md").write_text(
        "---\ntitle: T\ndate: 2025-01-10\noutlet: APA\nspeakrs: [Maria Zakharova]\nmentions: [Sergey Markow]\n"
        "quotes:\n  - speaker: Maria Zakharova\n    text: Text\n---\n\nText.\n", encoding="utf-8")
    _, problems, printed = run(root, "check", capsys=capsys)
    assert [line.split(" (")[0] for line in problems] == [
        f"{S}2025-01-10-two.md:5: unknown key 'speakrs'",
        f"{S}2025-01-10-two.md:6: warning: 'Sergey Markow' is not in the registry, but is almost 'Sergey Markov'",
    ], "the misspelt name is found in the same run; the quotation is not blamed for the typo"


def test_an_alias_that_is_a_pages_index_file_is_refused(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    (root / S / "2025-01-10-idx.md").write_text(
        "---\ntitle: T\ndate: 2025-01-10\noutlet: APA\naliases:\n  - /statements/2025/03/20/briefing/index.html\n"
        "  - /statements/old.html\n  - /statements/old.html/\n---\n\nText.\n", encoding="utf-8")
    _, problems, _ = run(root, "check", capsys=capsys)
    assert [line.split(" (")[0] for line in problems] == [
        f"{S}2025-01-10-idx.md:6: alias /statements/2025/03/20/briefing/index.html is the address of "
        f"{S}2025-03-20-briefing.md",
        f"{S}2025-01-10-idx.md:7: alias /statements/old.html is a folder of another page's address",
    ]


def test_site_yaml_mistakes_are_reported_at_their_line(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    (root / "site.yaml").write_text("title: T\ntrust_html: \"false\"\nbase_urll: /\nlanguage: English\n", encoding="utf-8")
    status, problems, _ = run(root, "check", capsys=capsys)
    assert status == 1
    assert [line.split(" (")[0] for line in problems] == [
        "site.yaml:2: trust_html: expected true or false, got 'false'",
        "site.yaml:3: unknown key 'base_urll'",
        "site.yaml:4: language: 'English' is not a language code",
    ]
    assert "(did you mean 'base_url'?)" in problems[1], "as for a key of a content file"


@pytest.mark.parametrize("base_url, mistake", [
    ("statements.example.org", "is neither a path starting with '/' nor a full address starting with https://"),
    ("ftp://example.org/", "is neither a path starting with '/' nor a full address starting with https://"),
    ("https:///archive/", "is neither a path starting with '/' nor a full address starting with https://"),
    ("//example.org/", "has no scheme: write https:// before the host"),
    ("https://example.org/my archive/", "contains a space"),
    ("https://statements.example.org\\archive\\", "contains a backslash; web addresses use '/' between their parts"),
    ("https://example.org/?lang=en", "has a query or fragment ('?' or '#'), which every address would repeat"),
    ("https://example.org/archive/index.html", "ends in a file name; the base URL is the folder the site is in"),
    ("https://example.org//archive/", "has an empty part ('//') in its path, which every link would repeat"),
    ("/archive//", "has an empty part ('//') in its path, which every link would repeat"),
    ("/x/../archive/", "has a '.' or '..' part in its path; write the folder's own path"),
])
def test_a_base_url_that_would_break_every_link_is_refused_in_site_yaml_and_on_the_command_line(
        base_url, mistake, tmp_path, capsys):
    """Without a scheme, 'statements.example.org' made every link relative to the page it is on: the site
    built with exit status 0 and no link worked."""
    root = make_site(tmp_path / "site")
    (root / "site.yaml").write_text(f"title: T\nbase_url: {base_url}\n", encoding="utf-8")
    status, problems, _ = run(root, "check", capsys=capsys)
    assert (status, problems) == (1, [f"site.yaml:2: base_url: {base_url!r} {mistake} (write a full address such as "
                                      "https://statements.example.org/, or a path such as /archive/)"])
    (root / "site.yaml").write_text("title: T\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        BUILD.parse_args(["build", "--base-url", base_url])
    assert exited.value.code == 2 and f"argument --base-url: {base_url!r} {mistake}" in capsys.readouterr().err


@pytest.mark.parametrize("base_url", ["/", "/archive/", "/archive", "https://example.org", "http://localhost:8000/a/"])
def test_the_base_urls_the_readme_allows_are_accepted(base_url):
    assert BUILD.parse_args(["build", "--base-url", base_url]).base_url == base_url


def test_the_exit_status_of_a_clean_check_and_build_is_0(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    assert run(root, "check", capsys=capsys)[0] == 0
    assert run(root, "--output", str(tmp_path / "out"), capsys=capsys)[0] == 0
    assert (tmp_path / "out" / "index.html").is_file()


def test_source_date_epoch_sets_today_for_future_date_warnings(tmp_path, capsys, monkeypatch):
    root = make_site(tmp_path / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01
    _, problems, _ = run(root, "check", capsys=capsys)
    assert [line.split(" (")[0] for line in problems] == [
        "content/events/briefing-2025-03-20.md:3: warning: date: 2025-03-20 is in the future",
        f"{S}2025-03-20-briefing.md:3: warning: date: 2025-03-20 is in the future",
    ]


def test_the_readme_explains_every_message_the_fixtures_show():
    """Each message's fixed wording (what is left between the quoted values) is in 'When the build complains'."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## When the build complains"):]
    section = section[: section.index("\n## ", 5)]
    missing = []
    for lines in CASES.values():
        for line in lines:
            message = PROBLEM_LINE.match(line).group("message")
            words = re.split(r"'[^']*'|#[\w-]+|/[^\s,]*|\b\d+\b|content/\S+|templates/\S+|\S+\.html|[.,;:]\s", message)
            fixed = max((w.strip() for w in words), key=len)
            if fixed not in section:
                missing.append(f"{fixed!r} (from {message!r})")
    assert missing == []


@pytest.mark.parametrize("argv, command", [
    (["--quiet", "check"], "check"), (["--output", "check", "--quiet"], "build"), (["--output", "out", "serve"], "serve"),
    (["--strict", "--base-url", "/a/", "check"], "check"), (["check", "--quiet"], "check"), (["--quiet"], "build"),
])
def test_options_before_the_command_are_taken_as_its_own(argv, command):
    """`build.py --quiet check`, as the README's "--quiet (also on serve and check)" invites, was refused: "unrecognized
    arguments: check". An option's value that is a command's name ("--output check") stays the value."""
    args = BUILD.parse_args(argv)
    assert args.command == command
    assert args.quiet == ("--quiet" in argv)
    assert args.output == ("check" if argv[:2] == ["--output", "check"] else "out" if "out" in argv else None)
