"""The demo newsroom: a fictional town, fictional staff, fictional people and fictional stories.

Nothing here is about real people. Every quotation is invented for a made-up person.
"""

SECTIONS = [
    ("News", "news", 1),
    ("Entertainment", "entertainment", 2),
    ("Business", "business", 3),
    ("Sport", "sport", 4),
]

#: username, first name, last name, role, demo password, staff byline description
USERS = [
    ("reporter", "Maren", "Holt", "Reporter", "demo-reporter-pass", "Reporter"),
    ("editor", "Tomas", "Reyes", "Editor", "demo-editor-pass", "Metro editor"),
    ("factchecker", "Priya", "Nandakumar", "Fact-checker", "demo-factchecker-pass", "Fact-checker"),
    ("standards", "Ada", "Okafor", "Standards editor", "demo-standards-pass", "Standards editor"),
]

#: Staff with a byline but no account.
STAFF_WRITERS = [("Lena Marsh", "lena-marsh", "Entertainment writer")]

PEOPLE = [
    ("Helen Marsh-Ito", "helen-marsh-ito", "Head librarian, Eastmere Public Library"),
    ("Ruth Abernathy", "ruth-abernathy", "Chair of the Eastmere harbour council"),
    ("Colm Reidy", "colm-reidy", "Race director, Eastmere Marathon"),
]

OUTLETS = [
    ("The Harbour Gazette", "https://gazette.example"),
    ("PEOPLE", "https://people.com"),
    ("Vanity Fair", "https://www.vanityfair.com"),
]

#: Each story: its words, where it sits, who is in it, and where it should end up in the
#: workflow. `quotes` attribute the body's quotations in order:
#: (source key, attribution as printed, how obtained, verdict or None), or None to leave a
#: quotation unattributed. `photo` is what the story's placeholder photo stands in for.
STORIES = [
    {
        "slug": "eastmere-library-reopens-after-flood-repairs",
        "photo": "the reopened Eastmere Public Library",
        "headline": "Eastmere library reopens after flood repairs",
        "dek": "The children's floor and the local history room are back after a year of work.",
        "section": "news",
        "dateline": "EASTMERE",
        "tags": ["Libraries", "Floods"],
        "people": ["helen-marsh-ito"],
        "body": [
            "The Eastmere Public Library reopened on Saturday, fourteen months after the "
            "river flood filled its basement and ruined most of the local history collection.",
            "“We lost maps that had been in the building since it opened, but we saved every "
            "parish register,” said Helen Marsh-Ito, the head librarian.",
            "Volunteers spent the winter drying and scanning the surviving papers. The "
            "scans are now free to read on the library's terminals.",
            "“The children's floor is the part people asked about most, and it is open first "
            "thing on Monday,” Marsh-Ito said.",
        ],
        "quotes": [
            ("librarian", "said Helen Marsh-Ito, the head librarian", "interview", "verified"),
            ("librarian", "Marsh-Ito said", "interview", "verified"),
        ],
        "state": "published",
        "correction": (
            "correction",
            "An earlier version of this story said the library reopened on a Friday. "
            "It reopened on Saturday.",
        ),
    },
    {
        "slug": "ferry-timetable-changes-draw-complaints",
        "photo": "commuters waiting for the island ferry",
        "headline": "Ferry timetable changes draw complaints from island commuters",
        "dek": "The first boat now leaves twenty minutes later.",
        "section": "news",
        "dateline": "EASTMERE",
        "tags": ["Transport"],
        "people": [],
        "body": [
            "Commuters from Gull Island say the new winter timetable makes them late for work.",
            "“I have taken the six-forty for eleven years and now it simply does not exist,” "
            "one passenger wrote to the ferry company.",
            "Petra Lindqvist, a spokesperson for the Gull Island Ferry Company, said in an email: "
            "“One crew can run the winter service only if the first boat leaves later.”",
        ],
        # The reporter has not recorded who wrote in yet: that quotation stays unattributed,
        # which is what keeps this draft from passing the publish gate.
        "quotes": [
            None,
            (
                "ferry_spokesperson",
                "Petra Lindqvist, a spokesperson for the Gull Island Ferry Company, said",
                "email",
                None,
            ),
        ],
        "state": "draft",
    },
    {
        "slug": "harbour-council-weighs-sale-of-old-pier",
        "photo": "the old pier in Eastmere harbour",
        "headline": "Harbour council weighs selling the old pier to a developer",
        "dek": "Councillors will vote next month; the price has not been disclosed.",
        "section": "business",
        "dateline": "EASTMERE",
        "tags": ["Harbour", "Council"],
        "people": ["ruth-abernathy"],
        "body": [
            "The Eastmere harbour council is considering an offer for the old pier, "
            "according to two people familiar with the talks.",
            "“The offer is serious and the council is short of money for repairs,” said a "
            "council employee who has seen the proposal and asked not to be named because "
            "the talks are confidential.",
            "Ruth Abernathy, who chairs the council, said: “No decision has been made, and "
            "any sale would come to a public vote.”",
        ],
        "quotes": [
            (
                "council_employee",
                "said a council employee who has seen the proposal",
                "phone",
                None,
            ),
            ("abernathy", "Ruth Abernathy, who chairs the council, said", "email", "verified"),
        ],
        "state": "fact_check",
    },
    {
        "slug": "eastmere-marathon-returns-with-coastal-route",
        "photo": "runners on the coastal route",
        "headline": "Eastmere marathon returns with a new coastal route",
        "dek": "Runners will pass the lighthouse twice.",
        "section": "sport",
        "dateline": "EASTMERE",
        "tags": ["Running"],
        "people": ["colm-reidy"],
        "body": [
            "The Eastmere marathon is back after a two-year break, with a route that follows "
            "the cliffs to the lighthouse and back.",
            "“It is the hardest course we have ever set, and the most beautiful,” said Colm "
            "Reidy, the race director.",
        ],
        "quotes": [("race_director", "said Colm Reidy, the race director", "interview", None)],
        "state": "scheduled",
    },
]

#: Sources the stories use. Anonymous ones carry fictional confidential details.
SOURCES = {
    "librarian": {
        "kind": "named",
        "person": "helen-marsh-ito",
        "public_description": "head librarian",
    },
    "abernathy": {
        "kind": "named",
        "person": "ruth-abernathy",
        "public_description": "council chair",
    },
    "race_director": {
        "kind": "named",
        "person": "colm-reidy",
        "public_description": "race director",
    },
    "ferry_spokesperson": {
        "kind": "named",
        "name": "Petra Lindqvist",
        "public_description": "spokesperson, Gull Island Ferry Company",
    },
    "council_employee": {
        "kind": "anonymous",
        "public_description": "a council employee who has seen the proposal",
        "real_name": "Jonah Pettigrew (fictional)",
        "contact": "+1 555 0142 (fictional)",
        "relationship_to_subject": "Works in the harbour council's finance office.",
        "knowledge": "first_hand",
        "knowledge_detail": "Prepared the summary of the offer for councillors.",
        "information": "fact",
        "anonymity_reason_internal": "Staff may not discuss the talks; would be dismissed.",
        "anonymity_reason_public": "The employee asked not to be named because the talks are "
        "confidential and they could lose their job.",
    },
}


#: The week's story budget: (days from today, working slug, budget line, section slug, reporter
#: usernames, expected words, copy due at (hour), priority: 1 top to 4 low). All fictional.
PLANNED_STORIES = [
    (
        0,
        "harbour-dredging",
        "Dredging of the inner harbour starts; what it means for the ferry.",
        "news",
        ["reporter"],
        700,
        16,
        1,
    ),
    (
        0,
        "library-late-hours",
        "The library tries late opening on Thursdays for a month.",
        "news",
        ["reporter"],
        450,
        17,
        3,
    ),
    (
        1,
        "council-budget-vote",
        "Councillors vote on next year's budget; the pool repairs in doubt.",
        "news",
        ["reporter", "editor"],
        900,
        15,
        1,
    ),
    (
        1,
        "market-hall-tenants",
        "Three new stalls take over the empty corner of the market hall.",
        "business",
        ["reporter"],
        500,
        12,
        3,
    ),
    (
        2,
        "eastmere-marathon-route",
        "The marathon's new route avoids the bridge works.",
        "sport",
        ["reporter"],
        600,
        14,
        2,
    ),
    (
        3,
        "cannery-reopening",
        "The old cannery reopens as studios; who is moving in.",
        "entertainment",
        ["reporter"],
        800,
        11,
        2,
    ),
    (
        4,
        "ferry-timetable",
        "Winter ferry timetable: fewer evening crossings.",
        "news",
        ["reporter"],
        350,
        10,
        4,
    ),
    (
        5,
        "youth-league-final",
        "Harbour Rovers and Eastmere Athletic meet in the youth final.",
        "sport",
        ["reporter"],
        550,
        18,
        3,
    ),
    (
        6,
        "weekend-arts-guide",
        "What to see on the waterfront this weekend.",
        "entertainment",
        ["reporter"],
        400,
        12,
        4,
    ),
]
