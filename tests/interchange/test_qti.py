"""QTI packages written as other tools write them (following the shape of the QTI 3.0 and 2.1 specification
examples, our own content): each interaction maps to its certprep type; shared stimuli become case studies."""

from __future__ import annotations

from certprep.domain.items import BuildList, CaseStudy, DragDrop, HotArea, MultipleResponse, SingleChoice
from certprep.interchange.archive import write_zip
from certprep.interchange.qti import read_qti
from tests.interchange.packs import defaults

MANIFEST3 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="m1">
  <resources>
    <resource identifier="stim" type="imsqti_stimulus_xmlv3p0" href="stim.xml"><file href="stim.xml"/></resource>
{resources}
  </resources>
</manifest>"""
RES3 = (
    '<resource identifier="{i}" type="imsqti_item_xmlv3p0" href="{i}.xml"><file href="{i}.xml"/></resource>'
)
ITEM3 = """<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="{i}" title="{i}" adaptive="false" time-dependent="false">
  {decl}
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  {stim}
  <qti-item-body>{body}</qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>
</qti-assessment-item>"""
STIM = """<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-stimulus xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="stim" title="Fabrikam">
  <qti-stimulus-body><h2>Overview</h2><p>Fabrikam ships weekly.</p><h2>Requirements</h2><p>Ship daily.</p></qti-stimulus-body>
</qti-assessment-stimulus>"""


def decl(
    values: list[str], cardinality: str = "single", base: str = "identifier", ident: str = "RESPONSE"
) -> str:
    vals = "".join(f"<qti-value>{v}</qti-value>" for v in values)
    return (
        f'<qti-response-declaration identifier="{ident}" cardinality="{cardinality}" base-type="{base}">'
        f"<qti-correct-response>{vals}</qti-correct-response></qti-response-declaration>"
    )


ITEMS3 = {
    "choice": (
        decl(["B"]),
        "",
        '<p>Which keyword makes a <em>stage</em> wait?</p><qti-choice-interaction response-identifier="RESPONSE" max-choices="1">'
        '<qti-simple-choice identifier="A">condition</qti-simple-choice><qti-simple-choice identifier="B">dependsOn</qti-simple-choice>'
        '<qti-simple-choice identifier="C">trigger</qti-simple-choice></qti-choice-interaction>',
    ),
    "multi": (
        decl(["A", "C"], "multiple"),
        "",
        '<qti-choice-interaction response-identifier="RESPONSE" max-choices="2"><qti-prompt>Pick two hosted images.</qti-prompt>'
        '<qti-simple-choice identifier="A">ubuntu-latest</qti-simple-choice><qti-simple-choice identifier="B">Default</qti-simple-choice>'
        '<qti-simple-choice identifier="C">windows-latest</qti-simple-choice><qti-simple-choice identifier="D">Server</qti-simple-choice>'
        "</qti-choice-interaction>",
    ),
    "order": (
        decl(["S1", "S3", "S2"], "ordered"),
        '<qti-assessment-stimulus-ref identifier="stim" href="stim.xml"/>',
        '<qti-order-interaction response-identifier="RESPONSE"><qti-prompt>Order the steps.</qti-prompt>'
        '<qti-simple-choice identifier="S1">Build</qti-simple-choice><qti-simple-choice identifier="S2">Deploy</qti-simple-choice>'
        '<qti-simple-choice identifier="S3">Test</qti-simple-choice></qti-order-interaction>',
    ),
    "match": (
        decl(["V1 T1", "V2 T2"], "multiple", "directedPair"),
        '<qti-assessment-stimulus-ref identifier="stim" href="stim.xml"/>',
        '<qti-match-interaction response-identifier="RESPONSE" max-associations="2"><qti-prompt>Match.</qti-prompt>'
        '<qti-simple-match-set><qti-simple-associable-choice identifier="V1" match-max="1">Hosted</qti-simple-associable-choice>'
        '<qti-simple-associable-choice identifier="V2" match-max="1">Self-hosted</qti-simple-associable-choice></qti-simple-match-set>'
        '<qti-simple-match-set><qti-simple-associable-choice identifier="T1" match-max="1">vmImage job</qti-simple-associable-choice>'
        '<qti-simple-associable-choice identifier="T2" match-max="1">Default pool job</qti-simple-associable-choice></qti-simple-match-set>'
        "</qti-match-interaction>",
    ),
    "inline": (
        decl(["Y"], ident="R1") + decl(["N"], ident="R2"),
        "",
        '<p>Use <qti-inline-choice-interaction response-identifier="R1"><qti-inline-choice identifier="Y">Bash@3</qti-inline-choice>'
        '<qti-inline-choice identifier="Z">Shell@1</qti-inline-choice></qti-inline-choice-interaction> on '
        '<qti-inline-choice-interaction response-identifier="R2"><qti-inline-choice identifier="N">ubuntu</qti-inline-choice>'
        '<qti-inline-choice identifier="M">dos</qti-inline-choice></qti-inline-choice-interaction>.</p>',
    ),
}


def package3() -> bytes:
    files = {
        "imsmanifest.xml": MANIFEST3.format(resources="\n".join(RES3.format(i=i) for i in ITEMS3)).encode()
    }
    files["stim.xml"] = STIM.encode()
    for i, (d, stim, body) in ITEMS3.items():
        files[f"{i}.xml"] = ITEM3.format(i=i, decl=d, stim=stim, body=body).encode()
    return write_zip(files)


def test_qti3_package_from_another_tool() -> None:
    parsed = read_qti(package3(), defaults(objective="yaml-pipelines"), "pkg.zip")
    assert parsed.problems == ()
    single, multi, case, hot = parsed.units
    assert (
        isinstance(single, SingleChoice)
        and single.key == "B"
        and single.prompt == "Which keyword makes a *stage* wait?"
    )
    assert single.meta.id == "az-400/yaml-pipelines/choice"
    assert (
        isinstance(multi, MultipleResponse)
        and multi.key == frozenset({"A", "C"})
        and multi.prompt == "Pick two hosted images."
    )
    assert isinstance(case, CaseStudy) and case.title == "Fabrikam"
    assert case.tabs == (("Overview", "Fabrikam ships weekly."), ("Requirements", "Ship daily."))
    order, match = case.items
    assert (
        isinstance(order, BuildList) and order.key == ("S1", "S3", "S2") and order.meta.container == case.id
    )
    assert isinstance(match, DragDrop) and dict(match.key) == {"T1": "V1", "T2": "V2"} and not match.reuse
    assert isinstance(hot, HotArea) and hot.prompt == "Use [[blank:r1]] on [[blank:r2]]."
    assert [b.key for b in hot.blanks] == ["Y", "N"]
    assert any("HTML body converted to Markdown" in str(w) for w in parsed.warnings)


MANIFEST21 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m21">
  <resources>
    <resource identifier="gap" type="imsqti_item_xmlv2p1" href="gap.xml"><file href="gap.xml"/></resource>
    <resource identifier="choice" type="imsqti_item_xmlv2p1" href="choice.xml"><file href="choice.xml"/></resource>
    <resource identifier="slider" type="imsqti_item_xmlv2p1" href="slider.xml"><file href="slider.xml"/></resource>
  </resources>
</manifest>"""
GAP21 = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="gap" title="Gaps" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair">
    <correctResponse><value>W1 G1</value><value>W2 G2</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <gapMatchInteraction responseIdentifier="RESPONSE" shuffle="false">
      <gapText identifier="W1" matchMax="1">dependsOn</gapText><gapText identifier="W2" matchMax="1">condition</gapText>
      <p>Use <gap identifier="G1"/> to wait and <gap identifier="G2"/> to skip.</p>
    </gapMatchInteraction>
  </itemBody>
</assessmentItem>"""
CHOICE21 = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="choice" title="Choice" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>ChoiceA</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="1">
      <prompt>Where do approvals live?</prompt>
      <simpleChoice identifier="ChoiceA">On the environment</simpleChoice>
      <simpleChoice identifier="ChoiceB">In the YAML file</simpleChoice>
      <simpleChoice identifier="ChoiceC">In the agent pool</simpleChoice>
    </choiceInteraction>
  </itemBody>
</assessmentItem>"""
SLIDER21 = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="slider" title="Slider" adaptive="false" timeDependent="false">
  <itemBody><sliderInteraction responseIdentifier="RESPONSE" lowerBound="0" upperBound="10"/></itemBody>
</assessmentItem>"""


def test_qti21_package() -> None:
    files = {"imsmanifest.xml": MANIFEST21, "gap.xml": GAP21, "choice.xml": CHOICE21, "slider.xml": SLIDER21}
    data = write_zip({k: v.encode() for k, v in files.items()})
    parsed = read_qti(data, defaults(objective="yaml-pipelines"), "p21.zip", version="2.1")
    assert parsed.problems == ()
    gap, choice = parsed.units
    assert isinstance(gap, HotArea) and gap.prompt == "Use [[blank:g1]] to wait and [[blank:g2]] to skip."
    assert [b.key for b in gap.blanks] == ["W1", "W2"] and [o.text for o in gap.blanks[0].options] == [
        "dependsOn",
        "condition",
    ]
    assert (
        isinstance(choice, SingleChoice)
        and choice.key == "ChoiceA"
        and choice.prompt == "Where do approvals live?"
    )
    warned = [str(w) for w in parsed.warnings]
    assert any(w.startswith("item slider: skipped") for w in warned)
    assert any("gap match read as a hot area" in w for w in warned)


def test_a_package_without_manifest_or_with_a_missing_file() -> None:
    assert read_qti(write_zip({"a.xml": b"<x/>"}), defaults(), "p.zip").problems == (
        "p.zip: no imsmanifest.xml at the top of the package (not a QTI content package)",
    )
    files = {"imsmanifest.xml": MANIFEST21.encode()}
    [problem] = read_qti(write_zip(files), defaults(), "p.zip").problems
    assert problem == "p.zip/imsmanifest.xml: resource 'gap' names no file of the package (gap.xml)"
