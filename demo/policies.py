"""Default text for the standards pages a newsroom publishes (the Trust Project's indicators).

`load_demo` creates them; editors rewrite them in the admin (Public site, Pages) to match their
own newsroom. Each entry: slug, title, the schema.org property it fills, summary, paragraphs
(a paragraph starting with "## " is a heading).
"""

from public.models import TrustProperty

POLICIES = [
    (
        "standards",
        "Our standards",
        TrustProperty.PUBLISHING_PRINCIPLES,
        "The principles every story we publish is held to.",
        [
            "We report what we can verify, we say how we know it, and we correct what we get "
            "wrong. Every story is read by an editor before it is published.",
            "## Labels",
            "Each story is labelled with the kind of work it is: News (facts we have "
            "verified), Analysis (interpretation by a specialist, based on facts), Opinion "
            "(argument for a point of view), Review (a critic's judgement), Explainer (context "
            "and background) or Sponsored (paid for by an advertiser, never written by our "
            "newsroom).",
            "## Independence",
            "Advertisers, owners and funders have no say over what we cover or how.",
        ],
    ),
    (
        "ethics",
        "Ethics policy",
        TrustProperty.ETHICS,
        "How our journalists avoid conflicts of interest and treat the people they cover.",
        [
            "Our journalists accept no gifts, payments or free travel from people they cover, "
            "and declare any interest that could affect their work to their editor.",
            "We identify ourselves as journalists when we report. We take particular care with "
            "children, victims of crime and people in distress; we do not name minors unless "
            "our standards editor decides, on the record, that the public interest requires it.",
        ],
    ),
    (
        "sourcing",
        "How we source our stories",
        TrustProperty.UNNAMED_SOURCES,
        "How we attribute quotations and when we let a source go unnamed.",
        [
            "## Attribution",
            "Every quotation we print is attributed to a source. When we repeat what someone "
            "told another publication, we name that publication; we do not present "
            "second-hand quotes as our own interviews.",
            "## Anonymous sources",
            "We name our sources. We let a source go unnamed only when the information is "
            "newsworthy, is fact rather than opinion, cannot be had on the record, and comes "
            "from someone in a position to know it first-hand, and naming them would put them "
            "at real risk.",
            "At least one editor knows who every anonymous source is, and our standards editor "
            "approves every grant of anonymity before a story is published. The story tells "
            "readers why the source was not named. We never use anonymity to shield personal "
            "attacks.",
        ],
    ),
    (
        "fact-checking",
        "Verification and fact-checking",
        TrustProperty.VERIFICATION,
        "What we check before a story is published.",
        [
            "Before publication, fact-checkers check every quotation from an anonymous source "
            "against the reporter's notes, recordings or documents, and confirm quotations "
            "taken from other outlets against the original.",
            "A story with a disputed quotation is not published until the dispute is resolved.",
        ],
    ),
    (
        "corrections",
        "Corrections policy",
        TrustProperty.CORRECTIONS,
        "How we correct mistakes, and where you can see every correction.",
        [
            "When we get something wrong, we say so. Corrections, clarifications and editor's "
            "notes are added to the end of the story with the date they were made, and the "
            "story shows when it was last updated. Every correction is also listed on our "
            "corrections page.",
            "If a story is fundamentally wrong we retract it: the retraction stays at the top "
            "of the page so the record remains.",
        ],
    ),
    (
        "feedback",
        "Contact us and report an error",
        TrustProperty.FEEDBACK,
        "How to reach the newsroom, suggest a story or report a mistake.",
        [
            "Write to our standards editor to report an error or complain about a story; we "
            "answer every message within two working days and say what we did about it.",
            "Story ideas and tips go to the news desk. If you need to stay anonymous, say so "
            "before you tell us anything: our sourcing policy explains what we can promise.",
        ],
    ),
    (
        "ownership",
        "Ownership and funding",
        TrustProperty.OWNERSHIP,
        "Who owns the newsroom and where its money comes from.",
        [
            "The Eastmere Ledger is a fictional newsroom used to demonstrate this software. A "
            "real newsroom says here who owns it, who funds it, and any funder who gave more "
            "than a set share of its income.",
        ],
    ),
]
