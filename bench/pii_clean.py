"""Documents without personal data: real-looking headings and prose, to count false redactions.

    .venv/bin/python bench/pii_clean.py --split tune --n 40 --out /tmp/clean   # doc-NNN.md files

Policies, technical docs, READMEs, reports, release notes, FAQs, news-like prose about
institutions and products, tables of contents and tables, in Markdown, built from word lists and
sentence patterns written here. Headings are Title Case phrases of ordinary words in the shapes
real documents use (one word, "X and Y", "Table 2: Summary of the ...", numbered, all capitals,
questions); prose mixes lower-case verbs, product and format names, place-like common words
("Harbor", "Summit", "Gateway"), weekdays, months and numbers. Nothing in them is a person, a
company, a place or a contact detail, so every placeholder llmprep puts in them is a false
redaction.

Two splits with their own word lists and shapes: `tune` may be read and fixed against;
`measure` is only read for figures. Deterministic per split, size and seed.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _w(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True)
class Vocab:
    nouns: list[str]
    adjectives: list[str]
    fixed_headings: list[str]
    tech: list[str]
    products: list[str]
    verbs: list[str]
    objects: list[str]
    subjects: list[str]
    tails: list[str]


TUNE = Vocab(
    nouns=_w(
        """
        Access Accounts Accuracy Adoption Alerts Analysis Approach Architecture Archive Assets
        Audit Availability Backlog Balance Baseline Benefits Billing Budget Build Cache Capacity
        Changes Checklist Citations Claims Cleanup Compliance Configuration Consent Controls
        Costs Coverage Data Dashboards Deadlines Delivery Demand Dependencies Deployment Design
        Development Disclosure Documentation Drafts Efficiency Encryption Engagement Errors
        Escalation Estimates Events Evidence Exceptions Expenses Feedback Fees Findings Forecast
        Framework Funding Goals Governance Growth Guidelines Handling Health Hiring Impact
        Incidents Indicators Infrastructure Inputs Insights Installation Integration Inventory
        Issues Labels Latency Learning Licensing Limits Logging Maintenance Metrics Migration
        Milestones Models Monitoring Network Notices Onboarding Operations Options Outcomes
        Outputs Ownership Payments Performance Permissions Planning Policy Pricing Principles
        Priorities Privacy Procurement Progress Protection Quality Queries Rates Records
        Recovery Refunds Releases Reliability Renewals Reporting Resilience Resources Retention
        Returns Revenue Risk Roadmap Roles Rollout Safety Sampling Scaling Security Services
        Setup Shipping Signals Sources Stability Standards Storage Strategy Structure Suppliers
        Supply Sustainability Targets Tasks Testing Thresholds Timeline Tools Training
        Transparency Trends Troubleshooting Updates Upgrades Usage Validation Vendors Versioning
        Workflow Workloads
        """
    ),
    adjectives=_w(
        """
        Annual Automated Basic Central Common Core Current Daily Detailed Direct Early External
        Final Financial Flexible Formal General Global Internal Key Legal Local Long-Term Main
        Manual Minimum Monthly National Operational Optional Overall Personal Practical
        Preliminary Primary Public Quarterly Quick Regional Regular Remote Scheduled Secure
        Shared Short-Term Simple Standard Strategic Technical Temporary Typical Weekly
        """
    ),
    fixed_headings=[
        "Hello World",
        "Getting Started",
        "Quick Start",
        "Frequently Asked Questions",
        "Release Notes",
        "Known Issues",
        "Next Steps",
        "Before You Begin",
        "How It Works",
        "What's New",
        "Terms of Use",
        "Table of Contents",
        "Acknowledgements",
        "Further Reading",
        "Executive Summary",
        "Key Findings",
        "Lessons Learned",
        "Scope and Purpose",
        "Roles and Responsibilities",
        "Definitions",
        "Contact Us",
        "Support",
        "Appendix",
        "Introduction",
        "Conclusion",
        "Background",
        "Methods",
        "Results",
        "Discussion",
        "Limitations",
        "Future Work",
        "License",
        "Contributing",
        "Changelog",
        "Data Protection Policy",
        "Privacy Notice",
        "Code of Conduct",
        "Cookie Policy",
        "Service Level Agreement",
        "Incident Response Plan",
        "Business Continuity",
        "Acceptable Use",
        "Travel and Expenses",
        "Stability and Growth",
        "Citations",
        "Refunds",
    ],
    tech=_w(
        """
        Python Linux PostgreSQL JSON HTTP REST YAML CSV Docker Kubernetes Git SQL HTML PDF API
        CLI CI OAuth TLS DNS S3 Markdown Unicode UTF-8 Excel Windows macOS Redis Kafka GraphQL
        """
    ),
    products=[
        "the Harbor dashboard",
        "the Summit release",
        "the Gateway service",
        "the Atlas index",
        "the Beacon alerts",
        "the Lighthouse report",
        "the Compass planner",
        "the Meadow theme",
    ],
    verbs=_w(
        """
        review update check approve archive measure track document reduce improve schedule
        escalate configure install restart export import validate monitor publish retire renew
        share
        """
    ),
    objects=[
        "the budget",
        "each request",
        "the quarterly report",
        "all invoices",
        "the release checklist",
        "open tickets",
        "the access list",
        "old backups",
        "the test plan",
        "every change",
        "the data inventory",
        "vendor contracts",
        "the training material",
        "log files",
        "the risk register",
        "customer feedback",
        "the migration scripts",
        "the onboarding guide",
        "service metrics",
        "expense claims",
        "the retention schedule",
        "draft policies",
    ],
    subjects=[
        "The team",
        "Each department",
        "Every manager",
        "The service desk",
        "Staff",
        "The committee",
        "Reviewers",
        "The owner of a system",
        "Contractors",
        "New employees",
        "The finance team",
        "Administrators",
        "The board",
        "Project leads",
        "Users",
        "Someone on call",
        "The auditor",
        "Maintainers",
    ],
    tails=[
        "before the end of each quarter",
        "within five working days",
        "at least once a year",
        "when a change is approved",
        "as described in section {n}",
        "unless the policy says otherwise",
        "and record the outcome",
        "using the shared template",
        "so that nothing is lost",
        "before anything is deleted",
        "after every release",
        "in the weekly meeting",
        "on the first day of the month",
        "with a small set of intuitive tools",
        "and keep a copy for {n} months",
        "if the numbers look wrong",
        "when someone fed the tool bad input",
        "every Monday morning",
        "by the end of March",
    ],
)

MEASURE = Vocab(
    nouns=_w(
        """
        Adjustments Agreements Allocation Allowances Amendments Appeals Applications Approvals
        Assessment Assumptions Attendance Automation Benchmarks Bookings Boundaries Briefings
        Calendars Campaigns Catalogue Certificates Channels Circulation Classification Closures
        Collaboration Commitments Communication Conditions Conflicts Contingency Conversions
        Coordination Corrections Criteria Curriculum Decisions Defaults Deliverables Deposits
        Diagnostics Directives Discounts Disputes Distribution Duties Eligibility Emissions
        Enrolment Equipment Evaluation Exports Facilities Filters Forms Frequency Grants
        Handover Hardware Hygiene Imports Improvements Incentives Inspections Instructions
        Insurance Interfaces Invoices Journals Keys Layouts Leave Lending Lifecycle Loans
        Locations Measures Meetings Memberships Messaging Notifications Objectives Obligations
        Orders Packaging Partnerships Patches Penalties Pensions Permits Pipelines Placements
        Preferences Premises Procedures Profiles Projections Proposals Publications Purchases
        Quotas Readiness Reconciliation Recruitment Referrals Registration Regulations Reminders
        Repairs Replacements Requests Reservations Responses Reviews Rewards Routines Salaries
        Schedules Segments Sessions Settings Simulations Specifications Sponsorship Statements
        Subscriptions Summaries Surveys Templates Tenders Terms Thresholds Tickets Transfers
        Translations Transport Tuition Uploads Utilities Vacancies Variations Warranties Waste
        """
    ),
    adjectives=_w(
        """
        Accessible Additional Advanced Alternative Applicable Approved Biannual Binding
        Centralised Closed Combined Complete Confidential Consolidated Continuous Corporate
        Critical Default Digital Distributed Draft Effective Eligible Emergency Essential
        Expected Extended Fixed Full Hybrid Immediate Improved Independent Initial Integrated
        Interim Large Limited Mandatory Modern Multiple Mutual Open Optimal Ordinary Outstanding
        Partial Pending Periodic Permanent Planned Preferred Proposed Provisional Recent Reduced
        Relevant Required Reserved Revised Seasonal Separate Sustainable Unified Updated Urgent
        """
    ),
    fixed_headings=[
        "Overview",
        "About This Guide",
        "Who Should Read This",
        "Prerequisites",
        "System Requirements",
        "Configuration Reference",
        "Command Line Options",
        "Common Errors",
        "Upgrade Guide",
        "Migration Notes",
        "Security Considerations",
        "Performance Tuning",
        "Glossary of Terms",
        "Revision History",
        "Document Control",
        "Purpose of This Policy",
        "Policy Statement",
        "Compliance and Enforcement",
        "Review and Approval",
        "Related Documents",
        "Annual Report",
        "Financial Highlights",
        "Outlook for Next Year",
        "Risks and Opportunities",
        "Methodology",
        "Sample Size",
        "Main Findings",
        "Recommendations",
        "Questions and Answers",
        "Still Need Help?",
        "Feedback Welcome",
        "Open Source Licenses",
        "Credits",
        "Health and Safety",
        "Equal Opportunities",
        "Remote Work",
        "Working Hours",
        "Annual Leave",
        "Sick Leave",
        "Whistleblowing",
        "Fair Use",
        "Spring Update",
        "Winter Schedule",
        "Morning Briefing",
    ],
    tech=_w(
        """
        Rust Go Java TypeScript JavaScript Node.js npm pip Terraform Ansible Nginx Apache MySQL
        SQLite MongoDB Elasticsearch Prometheus Grafana Jenkins GitHub GitLab Slack Jira
        Confluence Android iOS Bluetooth Wi-Fi USB XML SOAP gRPC WebSocket SSH VPN LDAP SAML
        """
    ),
    products=[
        "the Riverside portal",
        "the Highland app",
        "the Bridge connector",
        "the Orchard catalogue",
        "the Keystone module",
        "the Falcon scheduler",
        "the Harvest tracker",
        "the Pioneer plan",
        "the Canyon storage tier",
    ],
    verbs=_w(
        """
        submit reconcile verify forward assign prioritise consolidate renew cancel reschedule
        confirm allocate audit calibrate catalogue notify upload download migrate label sort
        """
    ),
    objects=[
        "the holiday calendar",
        "pending approvals",
        "the asset register",
        "supplier invoices",
        "the monthly statement",
        "incoming requests",
        "the equipment list",
        "unused licences",
        "the safety checklist",
        "travel bookings",
        "the room schedule",
        "all open orders",
        "the quarterly forecast",
        "outdated templates",
        "the warranty records",
        "shipping labels",
    ],
    subjects=[
        "The operations group",
        "Each site",
        "Line managers",
        "The help desk",
        "Employees",
        "The steering group",
        "Auditors",
        "Team leads",
        "The procurement office",
        "Volunteers",
        "The works council",
        "Every new starter",
        "The night shift",
        "Applicants",
    ],
    tails=[
        "before the deadline",
        "within ten days of receipt",
        "twice a year",
        "once the request is complete",
        "as set out in clause {n}",
        "where the rules allow it",
        "and file the result",
        "with the standard form",
        "to avoid delays",
        "before the next review",
        "after each inspection",
        "during the monthly check",
        "on the last Friday of the month",
        "through the self-service page",
        "and retain records for {n} years",
        "if anything is missing",
        "from January onwards",
        "in the spring",
    ],
)


# Tool names no word list of llmprep holds: how a document naming unknown software reads.
_EXTRA_TECH = _w(
    """
    Splunk Datadog Zabbix Vagrant Puppet Istio Consul Podman Bitbucket Trello Figma SharePoint
    OneDrive Zendesk HubSpot Shopify Looker Databricks Couchbase Sentry Bugzilla Mercurial
    IntelliJ Xcode Cypress Selenium Postman Swagger Netlify Okta Twilio SendGrid Mailchimp Asana
    Basecamp Miro Calendly Keras OpenCV Blender Photoshop InDesign Audacity Inkscape LibreOffice
    """
)


def _heading(rng: random.Random, v: Vocab, split: str) -> str:
    n = rng.randrange(1, 12)
    a, b, c = (rng.choice(v.nouns) for _ in range(3))
    adj = rng.choice(v.adjectives)
    tech = rng.choice(v.tech)
    shapes: list[Callable[[], str]] = [
        lambda: rng.choice(v.fixed_headings),
        lambda: a,
        lambda: f"{a} and {b}",
        lambda: f"{adj} {a}",
        lambda: f"{adj} {a} {b}",
        lambda: f"{n}. {adj} {a}",
        lambda: f"{tech} {a}",
        lambda: f"{a} {b}".upper(),
    ]
    if split == "tune":
        shapes += [
            lambda: f"{a} of the {adj} {b} {c}",
            lambda: f"Table {n}: Summary of the {adj} {b} {c}",
            lambda: f"Figure {n}: {a} by {b}",
            lambda: f"{n}.{rng.randrange(1, 9)} {a} {b}",
            lambda: f"{a} for {tech}",
            lambda: f"Appendix {rng.choice('ABCDE')}: {a} {b}",
            lambda: f"How to {rng.choice(v.verbs).title()} {b}",
        ]
    else:
        shapes += [
            lambda: f"Section {n}: {adj} {a}",
            lambda: f"Chart {n} - {a} per {b}",
            lambda: f"{a}, {b} and {c}",
            lambda: f"Why {adj} {a} Matter",
            lambda: f"Using {tech} with {b}",
            lambda: f"Part {rng.choice(['I', 'II', 'III', 'IV'])}: {a}",
            lambda: f"What Is {adj} {a}?",
            lambda: f"{adj} {a} ({tech})",
        ]
    return rng.choice(shapes)()


def _sentence(rng: random.Random, v: Vocab, split: str) -> str:
    n = str(rng.randrange(2, 30))
    subject = rng.choice(v.subjects)
    verb = rng.choice(v.verbs)
    obj = rng.choice(v.objects)
    tail = rng.choice(v.tails).replace("{n}", n)
    noun = rng.choice(v.nouns).lower()
    tech = rng.choice(v.tech)
    product = rng.choice(v.products)
    shapes = [
        f"{subject} should {verb} {obj} {tail}.",
        f"{subject} must {verb} {obj} {tail}.",
        f"To {verb} {obj}, open the {tech} settings and follow the steps below.",
        f"The {noun} report lists {n} items; most of them concern {rng.choice(v.nouns).lower()}.",
        f"We use {tech} and {rng.choice(v.tech)} for {noun}.",
        f"See the {rng.choice(v.adjectives)} {rng.choice(v.nouns)} section for details.",
        f"In {2000 + int(n)}, {noun} grew by {n} percent.",
        f"{rng.choice(v.nouns)} and {noun} are reviewed by {subject.lower()}.",
        f"{product.capitalize()} now shows {noun} for every team.",
    ]
    if split == "tune":
        shapes += [
            f"Since the last update, {product} loads {n} times faster.",
            f"The board met on Tuesday and agreed to {verb} {obj} {tail}.",
            f"According to the {rng.choice(v.adjectives).lower()} survey, {n} percent of staff "
            f"want better {noun}.",
            f"{rng.choice(['Analysts', 'Customers', 'Engineers', 'Partners'])} "
            f"{rng.choice(['said', 'asked', 'wrote', 'told us'])} that {noun} matters more "
            f"than {rng.choice(v.nouns).lower()}.",
            f"Users of {rng.choice(_EXTRA_TECH)} and {rng.choice(_EXTRA_TECH)} can {verb} {obj} "
            f"{tail}.",
        ]
    else:
        shapes += [
            f"Last week the council voted to {verb} {obj}; the change takes effect {tail}.",
            f"Readers asked why {product} no longer sends {noun} by default.",
            f"Officials said the {noun} figures for {2000 + int(n)} will be published in May.",
            f"If {tech} is not installed, {product} falls back to {rng.choice(v.tech)}.",
        ]
    return rng.choice(shapes)


def _paragraph(rng: random.Random, v: Vocab, split: str) -> str:
    return " ".join(_sentence(rng, v, split) for _ in range(rng.randrange(2, 6)))


def document(rng: random.Random, split: str) -> str:
    v = TUNE if split == "tune" else MEASURE
    kinds = ("policy", "readme", "report", "toc", "news", "faq", "release")
    kind = rng.choice(kinds)
    parts = [f"# {_heading(rng, v, split)}", ""]
    if kind == "toc":
        parts += ["## Table of Contents" if split == "tune" else "## Contents", ""]
        parts += [f"{k}. {_heading(rng, v, split)}" for k in range(1, rng.randrange(5, 12))]
        parts.append("")
    if kind == "release":
        version = f"{rng.randrange(1, 9)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}"
        parts += [f"## Version {version}", ""]
        parts += [f"- {_sentence(rng, v, split)}" for _ in range(rng.randrange(3, 7))] + [""]
    for _ in range(rng.randrange(3, 8)):
        heading = _heading(rng, v, split)
        if kind == "faq":
            heading = f"How do I {rng.choice(v.verbs)} {rng.choice(v.objects)}?"
        parts += [f"{'#' * rng.choice((2, 2, 3))} {heading}", "", _paragraph(rng, v, split), ""]
        if rng.random() < 0.3:
            parts += [f"- {_sentence(rng, v, split)}" for _ in range(rng.randrange(2, 5))] + [""]
        if rng.random() < 0.25:
            a, b = rng.sample(v.nouns, 2)
            parts += [f"| {a} | {b} |", "|---|---|"]
            parts += [
                f"| {rng.choice(v.adjectives)} {rng.choice(v.nouns)} | {rng.randrange(1, 999)} |"
                for _ in range(rng.randrange(2, 5))
            ] + [""]
    return "\n".join(parts)


# What a document is about, named in its headings and its prose: invented companies,
# products, events and real countries. None of them is anyone's personal data (docs/pii.md:
# a place or a company in a heading is redacted only where the document ties it to a person).
_SUBJECTS = {
    "company": ["Norvanta", "Quellix Systems", "Tarrow Foods", "Velmora Group", "Ostrik Labs"],
    "product": ["Pelion", "Corvix", "Skyloom", "Brimlet", "Ardent Suite"],
    "event": ["Quanta Summit", "Open Harbor Days", "Northfield Forum", "Lumen Week"],
    "shaped": ["Agro-NetForum", "DevSummit", "CloudXpo2025", "Geo-DataFair", "InfoMarket"],
    "country": ["Portugal", "Canada", "Japan", "Kenya", "Chile", "Norway", "Vietnam"],
}


def _subject_section(rng: random.Random) -> list[str]:
    """A news-like section about a company, a product, an event or a country (tune only)."""
    kind = rng.choice(sorted(_SUBJECTS))
    name = rng.choice(_SUBJECTS[kind])
    year = rng.randrange(2018, 2027)
    headings = {
        "company": [
            f"{name} Plans to Halve Its Water Use",
            f"What {name} Plans for {year}",
            f"{name} Reports Record Growth",
        ],
        "product": [
            f"{name} Disruption Leaves Users Offline",
            f"Getting Started with {name}",
            f"{name} {rng.randrange(2, 9)} Brings a New Editor",
        ],
        "event": [
            f"{name} {year}: Highlights",
            f"{name.upper()} & TRADE SHOW {year}",
            f"Why We Go to {name}",
        ],
        "shaped": [f"{name} Opens Its Doors", f"Notes from {name}", f"{name} Keynote Recap"],
        "country": [
            f"Grown in {name}",
            f"From {name} to {rng.choice(_SUBJECTS['country'])}",
            f"Exports to {name} Rose Again",
        ],
    }[kind]
    prose = {
        "company": f"{name} said on Monday that its new plant will open in {year}.",
        "product": f"Users reported that {name} was slow for about two hours on Friday.",
        "event": f"This year {name} drew more visitors than ever, the organisers said.",
        "shaped": f"The {name} team published the schedule and the list of talks.",
        "country": f"Trade with {name} grew by {rng.randrange(2, 30)} percent last year.",
    }[kind]
    return [f"## {rng.choice(headings)}", "", prose, ""]


def _contents_with_pages(rng: random.Random, v: Vocab, split: str) -> list[str]:
    """A table of contents with page numbers, as PDFs print it (tune only)."""
    page = 1
    lines = ["## Contents", ""]
    for k in range(1, rng.randrange(4, 9)):
        page += rng.randrange(1, 12)
        lines.append(f"{k} {_heading(rng, v, split)} {page}")
    return [*lines, ""]


def generate(n: int, seed: int = 0, split: str = "tune") -> list[str]:
    docs = [document(random.Random(f"clean:{split}:{seed}:{i}"), split) for i in range(n)]
    if split != "tune":
        return docs
    # Kinds added to the tune split only, from a random stream of their own: the documents
    # above stay as they were, and the measure split is untouched.
    out = []
    for i, text in enumerate(docs):
        rng = random.Random(f"clean-kinds:{seed}:{i}")
        extra: list[str] = []
        if rng.random() < 0.5:
            extra += _subject_section(rng)
        if rng.random() < 0.25:
            extra += _contents_with_pages(rng, TUNE, split)
        out.append(text + "\n" + "\n".join(extra) if extra else text)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", default="tune", choices=("tune", "measure"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(generate(args.n, args.seed, args.split)):
        (args.out / f"doc-{i:03d}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
