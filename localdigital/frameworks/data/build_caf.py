"""Build the CAF framework files and the 3.2 -> 4.0 crosswalk from the CAF structure facts.

    .venv/bin/python localdigital/frameworks/data/build_caf.py [PATH_TO_caf_structure.yaml]

The input (by default `../shared/data/caf_structure.yaml` beside the repository) holds facts
only: ids, short titles, whether an outcome has "partially achieved", the number of indicators
of good practice per level, the government (GovAssure) Baseline and Enhanced targets for 3.2,
and how 4.0 changed each outcome. This script writes, next to itself:

- `caf-3.2.yaml` and `caf-4.0.yaml`: framework files in the format of docs/frameworks.md. Each
  indicator is an id only (`caf-3.2:A1.a.NA.1`, `...PA.1`, `...A.1`), numbered 1..n per level
  from the counts. The NCSC's indicator wording is Crown copyright and is not in the project;
  an operator can add it with `load_framework --statements`.
- `caf-crosswalk-3.2-4.0.yaml`: how each 4.0 outcome relates to 3.2 (see `crosswalk_rows`).

The "what good looks like" text of each outcome is the Hub's own, written for councils in
`WHAT_GOOD_LOOKS_LIKE` below; it is not NCSC wording. Run the script again after editing it and
commit the files it writes. A file already loaded somewhere must then get a new version.
"""

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "data" / "caf_structure.yaml"

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"
LEVEL_CODES = {"not_achieved": "NA", "partially_achieved": "PA", "achieved": "A"}
LEVEL_KEYS = {
    "not_achieved": "not-achieved",
    "partially_achieved": "partially-achieved",
    "achieved": "achieved",
}

# The Hub's own one- or two-sentence summary of each outcome, keyed by its short title (titles
# that changed in 4.0 have their own entry). Written for councils, in plain English.
WHAT_GOOD_LOOKS_LIKE = {
    "Board Direction": (
        "Councillors and the senior leadership team own cyber risk: it is on their agenda, "
        "someone at the top answers for it, and their decisions shape how services are protected."
    ),
    "Roles and Responsibilities": (
        "Everyone knows who does what for cyber security, from the senior owner to the teams "
        "running systems, and those people have the time and authority to do it."
    ),
    "Decision-making": (
        "Decisions that affect security are taken by people with enough knowledge and "
        "authority, quickly enough, and are written down so they can be checked later."
    ),
    "Risk Management Process": (
        "The council has a working, repeatable way to find, judge and treat the cyber risks to "
        "its important services, and reviews those risks when things change."
    ),
    "Understanding Threat": (
        "The council knows who might attack its services and how, keeps that picture up to "
        "date, and uses it when judging risks and choosing protections."
    ),
    "Assurance": (
        "The council checks, through testing and independent review, that its security "
        "measures really work, and acts on what those checks find."
    ),
    "Asset Management": (
        "There is a current record of the systems, data, devices and people that council "
        "services depend on, so nothing important is left unprotected because nobody knew of it."
    ),
    "Supply Chain": (
        "The council understands the risks its suppliers and partners bring, writes security "
        "into contracts, and checks that suppliers keep to it."
    ),
    "Secure Software Development and Support": (
        "Software the council builds or commissions is developed, tested and maintained "
        "securely, and stays supported for as long as the council relies on it."
    ),
    "Policy, Process and Procedure Development": (
        "Security policies and procedures are written for the council's actual services and "
        "risks, kept up to date, and easy for staff to find and follow."
    ),
    "Policy, Process and Procedure Implementation": (
        "Those policies are followed in day-to-day work, and the council can show that they "
        "make a difference rather than sitting on a shelf."
    ),
    "Identity Verification, Authentication and Authorisation": (
        "Only known, verified people and systems can reach council systems and data, using "
        "strong sign-in such as multi-factor authentication, and only for what they need."
    ),
    "Device Management": (
        "Only devices the council knows about and trusts, kept in a secure state, can connect "
        "to its systems and data."
    ),
    "Privileged User Management": (
        "Administrator and other powerful accounts are few, closely controlled, protected with "
        "strong sign-in, and their use is recorded and reviewed."
    ),
    "Identity and Access Management (IdAM)": (
        "Access is given, changed and removed promptly as people join, move and leave, and is "
        "reviewed regularly so that old or excessive access does not build up."
    ),
    "Understanding Data": (
        "The council knows what important data it holds, where it is kept and moves, and what "
        "harm its loss or misuse would cause to residents and services."
    ),
    "Data in Transit": (
        "Important data moving between systems, offices and partners is protected from being "
        "read or changed on the way."
    ),
    "Stored Data": (
        "Important data held on council systems and in backups is protected from being read, "
        "changed or deleted by anyone who should not."
    ),
    "Mobile Data": (
        "Data on laptops, phones and removable media is protected even when the device is lost "
        "or stolen."
    ),
    "Media / Equipment Sanitisation": (
        "Disks, devices and paper holding important data are wiped or destroyed properly before "
        "they are reused, returned or thrown away."
    ),
    "Secure by Design": (
        "Systems are planned and built with security in mind from the start, so that a single "
        "failure or compromise does not expose a whole service."
    ),
    "Secure Configuration": (
        "Systems are set up to a known secure standard, unnecessary features are switched off, "
        "and changes from that standard are noticed and corrected."
    ),
    "Secure Management": (
        "Systems are administered from trusted devices and networks set aside for the purpose, "
        "not from everyday machines that browse the web and read email."
    ),
    "Vulnerability Management": (
        "The council finds out about weaknesses in its systems quickly, fixes the serious ones "
        "promptly, and does not rely on software its supplier no longer supports."
    ),
    "Resilience Preparation": (
        "The council has planned how its important services would keep running, or recover, "
        "if their systems were disrupted."
    ),
    "Design for Resilience": (
        "Systems are built and connected so that trouble in one place, such as a failed link or "
        "an infected machine, does not stop the whole service."
    ),
    "Backups": (
        "Important data and system settings are backed up, with copies kept offline or unable "
        "to be changed, and restores are tested so the council knows it can recover."
    ),
    "Cyber Security Culture": (
        "Staff and councillors see security as part of their job, feel able to report "
        "mistakes and concerns, and leaders set the example."
    ),
    "Cyber Security Training": (
        "People get security training that fits their role, including extra training for "
        "those with powerful access, and it is refreshed as threats change."
    ),
    "Monitoring Coverage": (
        "The council collects the logs and other data it needs from its important systems to "
        "spot an attack."
    ),
    "Sources and Tools for Logging and Monitoring": (
        "The council collects the logs and other data it needs from its important systems, and "
        "has the tools to use them to spot an attack."
    ),
    "Securing Logs": (
        "Logs are kept safe from tampering and deletion, for long enough, and only the people "
        "who need them can read them."
    ),
    "Generating Alerts": (
        "Monitoring raises alerts on signs of trouble, drawing on what is known about current "
        "threats, and the alerts are tuned so real problems stand out."
    ),
    "Identifying Security Incidents": (
        "Alerts are looked at by people who can tell a real incident from noise, and real "
        "incidents are passed on for a response without delay."
    ),
    "Triage of Security Alerts": (
        "Alerts are looked at promptly by people who can tell a real incident from noise, "
        "decide how serious it is, and pass it on for a response."
    ),
    "Monitoring Tools and Skills": (
        "The people watching for attacks have the skills, tools and time they need, and "
        "understand the council's systems well enough to notice something wrong."
    ),
    "Personnel Skills for Monitoring and Detection": (
        "The people watching for attacks have the skills, knowledge of the council's systems "
        "and time they need, and keep those skills current."
    ),
    "Understanding User's and System's Behaviour, and Threat Intelligence": (
        "The council knows what normal activity looks like for its people and systems, and uses "
        "that, with up-to-date threat information, to notice unusual behaviour."
    ),
    "System Abnormalities for Attack Detection": (
        "The council knows what normal looks like on its systems well enough to notice unusual "
        "activity that may be an attack."
    ),
    "Proactive Attack Discovery": (
        "The council looks for signs of attackers already inside its systems, rather than only "
        "waiting for alerts."
    ),
    "Threat Hunting": (
        "The council searches its systems for attackers that its alerts have missed, based on "
        "how likely attackers operate, and uses what it finds to improve detection."
    ),
    "Response Plan": (
        "There is an up-to-date incident response plan, based on the council's services and "
        "likely incidents such as ransomware, that people know how to find and use."
    ),
    "Response and Recovery Capability": (
        "The people, tools, contacts and backups needed to respond and recover are in place "
        "and can be called on at any time."
    ),
    "Testing and Exercising": (
        "The response plan is rehearsed with realistic scenarios, including ransomware, and the "
        "plan is improved after each exercise."
    ),
    "Incident Root Cause Analysis": (
        "After an incident the council finds out why it happened, not just what happened, so "
        "that the underlying cause can be fixed."
    ),
    "Post Incident Analysis": (
        "After an incident the council looks at why it happened and how the response went, so "
        "that causes and weaknesses can be fixed."
    ),
    "Using Incidents to Drive Improvements": (
        "Lessons from the council's own incidents and those of others lead to real changes in "
        "protections, plans and training."
    ),
}

THREE_LEVEL = [
    {"key": "not-achieved", "label": "Not achieved", "rank": 0},
    {"key": "partially-achieved", "label": "Partially achieved", "rank": 1},
    {"key": "achieved", "label": "Achieved", "rank": 2},
]
TWO_LEVEL = [THREE_LEVEL[0], THREE_LEVEL[2]]

PROFILE_TEXT = {
    "baseline": (
        "Government CAF Baseline",
        "The central-government GovAssure Baseline profile for CAF 3.2: the level each outcome "
        "should reach for most central-government systems. It is not a local-government "
        "profile; a council profile can be defined in the Hub. Outcomes with no requirement at "
        "this profile are marked not required.",
    ),
    "enhanced": (
        "Government CAF Enhanced",
        "The central-government GovAssure Enhanced profile for CAF 3.2, for systems facing a "
        "higher threat. It is not a local-government profile; a council profile can be defined "
        "in the Hub. Outcomes with no requirement at this profile are marked not required.",
    ),
}


def _outcomes(version: dict) -> list[tuple[dict, dict, dict]]:
    return [
        (objective, principle, outcome)
        for objective in version["objectives"]
        for principle in objective["principles"]
        for outcome in principle["outcomes"]
    ]


def framework(version_key: str, version: dict) -> dict[str, Any]:
    """One CAF version as a framework file (a plain dict, dumped as YAML)."""
    ns = f"caf-{version_key}"
    nodes = []
    for objective in version["objectives"]:
        principles = []
        for principle in objective["principles"]:
            outcomes = []
            for outcome in principle["outcomes"]:
                code = outcome["id"]
                three = outcome["has_partially_achieved"]
                indicators = {}
                for level, count in outcome["igp_counts"].items():
                    if count:
                        short = LEVEL_CODES[level]
                        indicators[LEVEL_KEYS[level]] = [
                            f"{ns}:{code}.{short}.{n}" for n in range(1, count + 1)
                        ]
                outcomes.append(
                    {
                        "id": f"{ns}:{code}",
                        "type": "outcome",
                        "code": code,
                        "title": outcome["title"],
                        "description": WHAT_GOOD_LOOKS_LIKE[outcome["title"]],
                        "assessable": True,
                        "scale": "three-level" if three else "two-level",
                        "indicators": indicators,
                    }
                )
            principles.append(
                {
                    "id": f"{ns}:{principle['id']}",
                    "type": "principle",
                    "code": principle["id"],
                    "title": principle["title"],
                    "children": outcomes,
                }
            )
        nodes.append(
            {
                "id": f"{ns}:{objective['id']}",
                "type": "objective",
                "code": objective["id"],
                "title": objective["title"],
                "children": principles,
            }
        )
    totals = version["totals"]
    data: dict[str, Any] = {
        "id": "caf",
        "version": version_key,
        "name": f"NCSC Cyber Assessment Framework {version_key}",
        "description": (
            f"The NCSC Cyber Assessment Framework, version {version_key}, published by the "
            f"National Cyber Security Centre on {version['published']}: {totals['objectives']} "
            f"objectives, {totals['principles']} principles and "
            f"{totals['contributing_outcomes']} contributing outcomes, each judged against "
            "indicators of good practice. Ids, short titles and indicator counts are the NCSC's; "
            "indicators are ids only (load the official wording with load_framework "
            "--statements) and the outcome descriptions are the Hub's own summaries. "
            f"{LICENCE}."
        ),
        "source_url": version["source_url"],
        "licence": LICENCE,
        "kind": "assessment",
        "namespace": ns,
        "scales": {"three-level": THREE_LEVEL, "two-level": TWO_LEVEL},
        "nodes": nodes,
    }
    if any("govassure_profile_target" in outcome for *_, outcome in _outcomes(version)):
        profiles = []
        for profile_id, (name, description) in PROFILE_TEXT.items():
            targets = {}
            for *_, outcome in _outcomes(version):
                target = outcome["govassure_profile_target"][profile_id]
                # In the GovAssure profiles "not achieved" as a target means no requirement.
                targets[f"{ns}:{outcome['id']}"] = (
                    "not-required" if target == "not_achieved" else LEVEL_KEYS[target]
                )
            profiles.append(
                {"id": profile_id, "name": name, "description": description, "targets": targets}
            )
        data["profiles"] = profiles
    return data


def crosswalk_rows(old: dict, new: dict) -> tuple[list[dict], list[dict]]:
    """How each 4.0 outcome relates to 3.2, and the 3.2 outcomes with no 4.0 successor.

    - A `change` entry in the source wins: `new` (no 3.2 source), `renumbered` (from its
      `previous_id`), `renamed` (same id, `previous_title` was the old title) and `replaced`
      (one 4.0 outcome in place of several 3.2 outcomes, named in its note: here C2.a and C2.b).
    - With no entry, the same id must exist in 3.2: `same` when the title matches too,
      `renamed` when only the title differs.
    - A 3.2 outcome that no row names as a source is `removed`.
    """
    old_outcomes = {outcome["id"]: outcome for *_, outcome in _outcomes(old)}
    rows: list[dict] = []
    used: set[str] = set()
    for *_, outcome in _outcomes(new):
        code, change, note = outcome["id"], outcome.get("change"), outcome.get("note", "")
        if change == "new":
            sources: list[str] = []
        elif change == "renumbered":
            sources = [outcome["previous_id"]]
        elif change == "replaced":
            # The source names the replaced outcomes only in its note ("v3.2 C2.a ... and C2.b").
            principle = code.split(".")[0]
            sources = [c for c in old_outcomes if c.startswith(principle + ".") and c in note]
        elif code in old_outcomes:
            sources = [code]
            title_changed = old_outcomes[code]["title"] != outcome["title"]
            change = change or ("renamed" if title_changed else "same")
            if change == "renamed" and not note:
                note = f"Was '{old_outcomes[code]['title']}'"
        else:
            raise SystemExit(f"{code}: no change entry and no 3.2 outcome with that id")
        missing = [source for source in sources if source not in old_outcomes]
        if missing or (change != "new" and not sources):
            raise SystemExit(f"{code}: cannot find its 3.2 source(s) {missing or ''}")
        used.update(sources)
        row: dict[str, Any] = {
            "to": f"caf-4.0:{code}",
            "from": [f"caf-3.2:{source}" for source in sources],
            "change": change,
        }
        if note:
            row["note"] = note
        rows.append(row)
    removed = [
        {"from": f"caf-3.2:{code}", "note": "No 4.0 outcome takes its place"}
        for code in old_outcomes
        if code not in used
    ]
    return rows, removed


def crosswalk(old: dict, new: dict) -> dict[str, Any]:
    rows, removed = crosswalk_rows(old, new)
    return {
        "crosswalk": "caf-3.2-4.0",
        "from": {"framework": "caf", "version": "3.2"},
        "to": {"framework": "caf", "version": "4.0"},
        "name": "CAF 3.2 to CAF 4.0",
        "description": (
            "How each CAF 4.0 contributing outcome relates to CAF 3.2, derived by "
            "localdigital/frameworks/data/build_caf.py from the change notes of the CAF "
            "structure facts and by comparing ids and titles. 'same' and 'renamed' outcomes "
            "may still have changed indicators, so answers carried across need checking."
        ),
        "source_url": new.get("changelog_url", new["source_url"]),
        "licence": LICENCE,
        "outcomes": rows,
        "removed": removed,
    }


HEADER = """\
# {what}
# Generated by build_caf.py from the CAF structure facts (ids, short titles, counts): do not
# edit by hand. Contains public sector information licensed under the Open Government Licence
# v3.0. The outcome descriptions are the Hub's own; indicators are ids only, without the NCSC's
# wording. The format is described in docs/frameworks.md.
"""


class _Dumper(yaml.SafeDumper):
    """Writes repeated levels out in full rather than as YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write(path: Path, what: str, data: dict) -> None:
    text = HEADER.format(what=what) + yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path.name}")


def main(source: Path) -> None:
    facts = yaml.safe_load(source.read_text(encoding="utf-8"))
    versions = facts["versions"]
    for key in ("3.2", "4.0"):
        write(
            HERE / f"caf-{key}.yaml",
            f"NCSC Cyber Assessment Framework {key} as a Hub framework.",
            framework(key, versions[key]),
        )
    write(
        HERE / "caf-crosswalk-3.2-4.0.yaml",
        "How CAF 4.0 outcomes relate to CAF 3.2.",
        crosswalk(versions["3.2"], versions["4.0"]),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
