"""Documents without personal data: real-looking headings and prose, to count false redactions.

    .venv/bin/python bench/pii_clean.py --n 40 --out /tmp/clean    # writes doc-NNN.md files

Policy documents, technical docs, reports, READMEs and tables of contents, in Markdown, built
from word lists and sentence patterns written here. Headings are Title Case phrases of ordinary
words (the shapes real documents use: one word, "X and Y", "Table 2: Summary of the ...",
numbered, all capitals); prose mixes lower-case verbs, capitalized product and format names
(acronyms, languages, protocols) and numbers. Nothing in them is a person, a company, a place or
a contact detail, so every placeholder llmprep puts in them is a false redaction.
Deterministic per seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

NOUNS = [
    "Access",
    "Accounts",
    "Accuracy",
    "Adoption",
    "Alerts",
    "Analysis",
    "Approach",
    "Architecture",
    "Archive",
    "Assets",
    "Audit",
    "Availability",
    "Backlog",
    "Balance",
    "Baseline",
    "Benefits",
    "Billing",
    "Budget",
    "Build",
    "Cache",
    "Capacity",
    "Changes",
    "Checklist",
    "Citations",
    "Claims",
    "Cleanup",
    "Compliance",
    "Configuration",
    "Consent",
    "Controls",
    "Costs",
    "Coverage",
    "Data",
    "Dashboards",
    "Deadlines",
    "Delivery",
    "Demand",
    "Dependencies",
    "Deployment",
    "Design",
    "Development",
    "Disclosure",
    "Documentation",
    "Drafts",
    "Efficiency",
    "Encryption",
    "Engagement",
    "Errors",
    "Escalation",
    "Estimates",
    "Events",
    "Evidence",
    "Exceptions",
    "Expenses",
    "Feedback",
    "Fees",
    "Findings",
    "Forecast",
    "Framework",
    "Funding",
    "Goals",
    "Governance",
    "Growth",
    "Guidelines",
    "Handling",
    "Health",
    "Hiring",
    "Impact",
    "Incidents",
    "Indicators",
    "Infrastructure",
    "Inputs",
    "Insights",
    "Installation",
    "Integration",
    "Inventory",
    "Issues",
    "Labels",
    "Latency",
    "Learning",
    "Licensing",
    "Limits",
    "Logging",
    "Maintenance",
    "Metrics",
    "Migration",
    "Milestones",
    "Models",
    "Monitoring",
    "Network",
    "Notices",
    "Onboarding",
    "Operations",
    "Options",
    "Outcomes",
    "Outputs",
    "Ownership",
    "Payments",
    "Performance",
    "Permissions",
    "Planning",
    "Policy",
    "Pricing",
    "Principles",
    "Priorities",
    "Privacy",
    "Procurement",
    "Progress",
    "Protection",
    "Quality",
    "Queries",
    "Rates",
    "Records",
    "Recovery",
    "Refunds",
    "Releases",
    "Reliability",
    "Renewals",
    "Reporting",
    "Resilience",
    "Resources",
    "Retention",
    "Returns",
    "Revenue",
    "Risk",
    "Roadmap",
    "Roles",
    "Rollout",
    "Safety",
    "Sampling",
    "Scaling",
    "Security",
    "Services",
    "Setup",
    "Shipping",
    "Signals",
    "Sources",
    "Stability",
    "Standards",
    "Storage",
    "Strategy",
    "Structure",
    "Suppliers",
    "Supply",
    "Sustainability",
    "Targets",
    "Tasks",
    "Testing",
    "Thresholds",
    "Timeline",
    "Tools",
    "Training",
    "Transparency",
    "Trends",
    "Troubleshooting",
    "Updates",
    "Upgrades",
    "Usage",
    "Validation",
    "Vendors",
    "Versioning",
    "Workflow",
    "Workloads",
]
ADJECTIVES = [
    "Annual",
    "Automated",
    "Basic",
    "Central",
    "Common",
    "Core",
    "Current",
    "Daily",
    "Detailed",
    "Direct",
    "Early",
    "External",
    "Final",
    "Financial",
    "Flexible",
    "Formal",
    "General",
    "Global",
    "Internal",
    "Key",
    "Legal",
    "Local",
    "Long-Term",
    "Main",
    "Manual",
    "Minimum",
    "Monthly",
    "National",
    "Operational",
    "Optional",
    "Overall",
    "Personal",
    "Practical",
    "Preliminary",
    "Primary",
    "Public",
    "Quarterly",
    "Quick",
    "Regional",
    "Regular",
    "Remote",
    "Scheduled",
    "Secure",
    "Shared",
    "Short-Term",
    "Simple",
    "Standard",
    "Strategic",
    "Technical",
    "Temporary",
    "Typical",
    "Weekly",
]
FIXED_HEADINGS = [
    "\nHello World",
    "Getting Started",
    "Quick Start",
    "Frequently Asked Questions",
    "Release Notes",
    "Known Issues",
    "\nNext Steps",
    "Before You Begin",
    "How It Works",
    "What's New",
    "Terms of Use",
    "Table of Contents",
    "Acknowledgements",
    "\nFurther Reading",
    "Executive Summary",
    "Key Findings",
    "Lessons Learned",
    "Scope and Purpose",
    "Roles and\nResponsibilities",
    "Definitions",
    "Contact Us",
    "Support",
    "Appendix",
    "Summary",
    "Introduction",
    "Conclusion",
    "Background",
    "\nMethods",
    "Results",
    "Discussion",
    "Limitations",
    "Future Work",
    "License",
    "Contributing",
    "Changelog",
    "Installation",
    "Usage",
    "\nExamples",
    "Troubleshooting",
    "Data Protection Policy",
    "Privacy Notice",
    "Code of Conduct",
    "Cookie Policy",
    "\nService Level Agreement",
    "Incident Response Plan",
    "Business Continuity",
    "Acceptable Use",
    "Travel and Expenses\n",
]
TECH = [
    "\nPython",
    "Linux",
    "PostgreSQL",
    "JSON",
    "HTTP",
    "REST",
    "YAML",
    "CSV",
    "Docker",
    "Kubernetes",
    "Git",
    "SQL",
    "HTML",
    "PDF",
    "API",
    "CLI",
    "CI",
    "\nOAuth",
    "TLS",
    "DNS",
    "S3",
    "Markdown",
    "Unicode",
    "UTF-8",
    "Excel",
    "Windows",
    "macOS",
    "Redis",
    "Kafka",
    "GraphQL\n",
]
VERBS = [
    "\nreview",
    "update",
    "check",
    "approve",
    "archive",
    "measure",
    "track",
    "document",
    "reduce",
    "improve",
    "schedule",
    "escalate",
    "\nconfigure",
    "install",
    "restart",
    "export",
    "import",
    "validate",
    "monitor",
    "publish",
    "retire",
    "renew",
    "share",
    "sign off\n",
]
OBJECTS = [
    "\nthe budget",
    "each request",
    "the quarterly report",
    "all invoices",
    "the release checklist",
    "open tickets",
    "\nthe access list",
    "old backups",
    "the test plan",
    "every change",
    "the data inventory",
    "vendor contracts",
    "\nthe training material",
    "log files",
    "the risk register",
    "customer feedback",
    "the migration scripts",
    "\nthe onboarding guide",
    "service metrics",
    "expense claims",
    "the retention schedule",
    "draft policies\n",
]
SUBJECTS = [
    "\nThe team",
    "Each department",
    "Every manager",
    "The service desk",
    "Staff",
    "The committee",
    "Reviewers",
    "\nThe owner of a system",
    "Contractors",
    "New employees",
    "The finance team",
    "Administrators",
    "The board",
    "\nProject leads",
    "Users",
    "Someone on call",
    "The auditor",
    "Maintainers\n",
]
TAILS = [
    "\nbefore the end of each quarter",
    "within five working days",
    "at least once a year",
    "when a change is\napproved",
    "as described in section {n}",
    "unless the policy says otherwise",
    "and record the outcome",
    "\nusing the shared template",
    "so that nothing is lost",
    "before anything is deleted",
    "after every\nrelease",
    "in the weekly meeting",
    "on the first day of the month",
    "with a small set of intuitive tools",
    "\nand keep a copy for {n} months",
    "if the numbers look wrong",
    "when someone fed the tool bad input\n",
]


def heading(rng: random.Random, level: int) -> str:
    n = rng.randrange(1, 12)
    a, b, c = (rng.choice(NOUNS) for _ in range(3))
    adj = rng.choice(ADJECTIVES)
    shapes = [
        lambda: rng.choice(FIXED_HEADINGS).strip(),
        lambda: a,
        lambda: f"{a} and {b}",
        lambda: f"{adj} {a}",
        lambda: f"{adj} {a} {b}",
        lambda: f"{a} of the {adj} {b} {c}",
        lambda: f"Table {n}: Summary of the {adj} {b} {c}",
        lambda: f"Figure {n}: {a} by {b}",
        lambda: f"{n}. {adj} {a}",
        lambda: f"{n}.{rng.randrange(1, 9)} {a} {b}",
        lambda: f"{rng.choice(TECH)} {a}",
        lambda: f"{a} for {rng.choice(TECH)}",
        lambda: f"Appendix {rng.choice('ABCDE')}: {a} {b}",
        lambda: f"{a} {b}".upper(),
        lambda: f"How to {rng.choice(VERBS).title()} {b}",
    ]
    return rng.choice(shapes)()


def sentence(rng: random.Random) -> str:
    n = str(rng.randrange(2, 30))
    subject = rng.choice(SUBJECTS)
    verb = rng.choice(VERBS)
    obj = rng.choice(OBJECTS)
    tail = rng.choice(TAILS).replace("{n}", n)
    shapes = [
        f"{subject} should {verb} {obj} {tail}.",
        f"{subject} must {verb} {obj} {tail}.",
        f"To {verb} {obj}, open the {rng.choice(TECH)} settings and follow the steps below.",
        f"The {rng.choice(NOUNS).lower()} report lists {n} items; most of them concern {rng.choice(NOUNS).lower()}.",
        f"We use {rng.choice(TECH)} and {rng.choice(TECH)} for {rng.choice(NOUNS).lower()}.",
        f"See the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} section for details.",
        f"In {2000 + int(n)}, {rng.choice(NOUNS).lower()} grew by {n} percent.",
        f"{rng.choice(NOUNS)} and {rng.choice(NOUNS).lower()} are reviewed by {subject.lower()}.",
    ]
    return rng.choice(shapes)


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randrange(2, 6)))


def document(rng: random.Random) -> str:
    kind = rng.choice(("policy", "readme", "report", "toc"))
    parts = [f"# {heading(rng, 1)}", ""]
    if kind == "toc":
        parts += ["## Table of Contents", ""]
        parts += [f"{k}. {heading(rng, 2)}" for k in range(1, rng.randrange(5, 12))]
        parts.append("")
    for _ in range(rng.randrange(3, 8)):
        parts += [f"{'#' * rng.choice((2, 2, 3))} {heading(rng, 2)}", "", paragraph(rng), ""]
        if rng.random() < 0.3:
            parts += [f"- {sentence(rng)}" for _ in range(rng.randrange(2, 5))] + [""]
        if rng.random() < 0.2:
            a, b = rng.sample(NOUNS, 2)
            parts += [f"| {a} | {b} |", "|---|---|"]
            parts += [
                f"| {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} | {rng.randrange(1, 999)} |"
                for _ in range(rng.randrange(2, 5))
            ] + [""]
    return "\n".join(parts)


def generate(n: int, seed: int = 0) -> list[str]:
    return [document(random.Random(f"clean:{seed}:{i}")) for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(generate(args.n, args.seed)):
        (args.out / f"doc-{i:03d}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
