"""Demo people for local development: who they are, their shared password and TOTP key.

Everything here is public on purpose (it is in the README): demo data must never reach a real
deployment, which is why `seed_demo` refuses to run under production settings.
"""

import base64
from dataclasses import dataclass

DEMO_PASSWORD = "local-demo-only-2026"  # noqa: S105 - documented, local-only demo password
# The ASCII bytes "LocalDigitalHubDemo!" as hex: django-otp stores TOTP keys as hex.
DEMO_TOTP_KEY_HEX = "4c6f63616c4469676974616c48756244656d6f21"
DEMO_TOTP_KEY_BASE32 = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
DEMO_DEVICE_NAME = "Demo authenticator"
DEMO_EMAIL_DOMAIN = "localdigital.example"

# Real councils (mySociety codes) and the email domains they use.
DEMO_COUNCILS = {
    "HCK": "hackney.gov.uk",
    "MAN": "manchester.gov.uk",
    "KEN": "kent.gov.uk",
    "LDS": "leeds.gov.uk",
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    programme_staff: bool = False
    assessor: bool = False
    council: str = ""  # a code from DEMO_COUNCILS
    role: str = ""  # "admin" or "member" for an active membership; "" for none
    pending: bool = False  # a request waiting for the council's admins
    # A cyber role at the council ("lead", "contributor" or "approver"; see cyber/demo.py).
    cyber_role: str = ""

    @property
    def needs_two_factor(self) -> bool:
        # Admins and everyone with a cyber role must sign in with a second factor.
        if self.programme_staff:
            return True
        return not self.pending and (self.role == "admin" or bool(self.cyber_role))


def _email(local: str) -> str:
    # Demo addresses use the reserved .example domain, so no email can reach a real inbox.
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


DEMO_PEOPLE = [
    DemoPerson(_email("staff"), "Priya Shah", "Programme manager", programme_staff=True),
    DemoPerson(_email("assessor"), "Tom Baker", "Fund assessor", assessor=True),
    DemoPerson(
        _email("hackney.admin"),
        "Amara Okafor",
        "Head of digital",
        council="HCK",
        role="admin",
        cyber_role="lead",
    ),
    DemoPerson(
        _email("hackney.member"),
        "Liam Walsh",
        "Service designer",
        council="HCK",
        role="member",
        cyber_role="contributor",
    ),
    DemoPerson(
        _email("hackney.approver"),
        "Nadia Hussain",
        "Director of finance and corporate resources",
        council="HCK",
        role="member",
        cyber_role="approver",
    ),
    DemoPerson(
        _email("manchester.admin"),
        "Grace Chen",
        "Digital lead",
        council="MAN",
        role="admin",
        cyber_role="lead",
    ),
    DemoPerson(
        _email("manchester.member"),
        "Owen Hughes",
        "Developer",
        council="MAN",
        role="member",
        cyber_role="contributor",
    ),
    DemoPerson(
        _email("manchester.approver"),
        "David Evans",
        "Chief information officer",
        council="MAN",
        role="member",
        cyber_role="approver",
    ),
    DemoPerson(
        _email("kent.admin"),
        "Fatima Begum",
        "Cyber lead",
        council="KEN",
        role="admin",
        cyber_role="lead",
    ),
    DemoPerson(
        _email("kent.member"),
        "Jack Turner",
        "Product manager",
        council="KEN",
        role="member",
        cyber_role="contributor",
    ),
    DemoPerson(
        _email("kent.approver"),
        "Helen Ward",
        "Senior information risk owner",
        council="KEN",
        role="member",
        cyber_role="approver",
    ),
    DemoPerson(
        _email("leeds.admin"),
        "Sophie Clarke",
        "Chief digital officer",
        council="LDS",
        role="admin",
        cyber_role="lead",
    ),
    DemoPerson(
        _email("leeds.member"),
        "Ravi Patel",
        "Data analyst",
        council="LDS",
        role="member",
        cyber_role="contributor",
    ),
    DemoPerson(
        _email("leeds.approver"),
        "Chloe Adams",
        "Head of information governance",
        council="LDS",
        role="member",
        cyber_role="approver",
    ),
    DemoPerson(
        _email("requester"),
        "Ellie Moore",
        "User researcher",
        council="MAN",
        role="member",
        pending=True,
    ),
]
