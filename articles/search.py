"""Ranked full-text search over articles, one API on PostgreSQL and on SQLite.

`search(text, scope=..., order=...)` is what the public page, the admin's article list and the
fact-check desk call; `scope` is a queryset of the articles the caller may show (the public
page passes `Article.objects.published()`, the desk `visible_to(user)`), so search never widens
what a caller sees. `matching(text)` is the same match as a filter, for the admin list.

The index (`SearchEntry`, one row per article) holds an article's text in three weighted
columns: `headline` (A), `summary` (B: the dek, tags, the names of people readers may see and
of bylines) and `body` (C). It is written by `index_articles()`, after commit of every save
and of every workflow transition (`article_transitioned`), so it always holds the row's text:
for a published story the live version readers see, never a pending update.

Queries use web-search syntax (`"quoted phrases"`, `-exclusions`, `or`). `parse()` reduces any
input, hostile or not, to words and phrases of letters and digits, so neither engine ever sees
an operator it did not get from us.

- PostgreSQL: `websearch_to_tsquery` over a GIN-indexed weighted tsvector in the text-search
  configuration `SEARCH_CONFIG`; `ts_rank_cd` blended with recency; `ts_headline` snippets;
  when nothing matches, trigram word similarity (`pg_trgm`) on people's names catches
  misspellings.
- SQLite: an FTS5 table (porter stemmer); `bm25()` with the same column weights and the same
  recency blend; `snippet()` highlights.

Only `INDEXED_PATHS` reach the index; the system check in `sourcing/confidential.py` fails if
one of them could lead to a confidential source field.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from people.models import Person

from .extensions import article_transitioned
from .models import Article, Byline, SearchEntry, TaggedArticle

#: Where each column's text comes from, as lookup paths from `Article`. Nothing else is indexed.
INDEXED_PATHS = {
    "headline": ("headline",),
    "summary": ("dek", "tags__name", "people__name", "bylines__person__name"),
    "body": ("body",),
}
#: The paths whose values are names (also kept in `SearchEntry.names`).
NAME_PATHS = ("people__name", "bylines__person__name")
#: Related rows a path may index: of the people a story is about, only those readers may see
#: (a search for a private individual's or a minor's name must not find the story through them).
PATH_LIMITS = {"people__name": Q(people__in=Person.objects.with_public_page())}

#: Column weights, A/B/C on PostgreSQL; bm25 on SQLite gets the same ratios.
WEIGHTS = {"headline": 1.0, "summary": 0.4, "body": 0.2}
#: How much a new story gains over an old one with the same relevance: up to half again,
#: fading over about a month.
RECENCY_BOOST = 0.5
RECENCY_DAYS = 30

#: A longer query is cut here; only the first MAX_TERMS words and phrases count.
MAX_QUERY_CHARS = 300
MAX_TERMS = 12
#: Marks around matches in snippets: control characters that cleaned text never holds, so the
#: snippet can be escaped whole before they become <mark> tags.
MARK_START, MARK_END = "\x02", "\x03"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SNIPPET_WORDS = 30
#: The longest query (in words and characters) that may be a misspelt name.
NAME_WORDS, NAME_CHARS = 4, 60

#: Search ranks and counts at most this many matches, the newest: enough for any reader
#: (25 pages of 20), and the cost of a common word stays that of a rare one.
CANDIDATES = 500

INDEX_BATCH = 500
#: Text indexed per field: PostgreSQL's tsvector holds at most 1 MB, and no reader searches
#: for the 30,000th word of a story.
MAX_TEXT_CHARS = 200_000


# Queries.


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query reduced to alternatives (joined by "or") of terms that must all match, and the
    exclusions that apply to all of them. Every word is letters and digits only."""

    alternatives: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def __bool__(self):
        return bool(self.alternatives)

    @property
    def words(self):
        return [word for terms in self.alternatives for term in terms for word in term.words]

    def as_websearch(self, words_only=()):
        """The query in PostgreSQL's web-search syntax, every term quoted; the phrases in
        `words_only` as their words, in any place."""

        def quoted(term):
            phrase = " ".join(term.words)
            if phrase in words_only:
                return " ".join(f'"{word}"' for word in term.words)
            return f'"{phrase}"'

        exclusions = "".join(f' -"{" ".join(term.words)}"' for term in self.excluded)
        return " or ".join(
            " ".join(quoted(term) for term in terms) + exclusions for terms in self.alternatives
        )

    def as_fts5(self):
        """The query in FTS5's syntax, every term a quoted string (so never an operator)."""
        expression = " OR ".join(
            "(" + " AND ".join(f'"{" ".join(term.words)}"' for term in terms) + ")"
            for terms in self.alternatives
        )
        if self.excluded:
            excluded = " OR ".join(f'"{" ".join(term.words)}"' for term in self.excluded)
            expression = f"({expression}) NOT ({excluded})"
        return expression


TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")


def parse(text) -> ParsedQuery:
    """Read web-search syntax: `"a phrase"`, `-word`, `-"a phrase"`, `or`. Whatever else a
    term holds (quotes, `*`, `:`, `%`, brackets) only separates words."""
    alternatives, current, excluded = [], [], []
    count = 0
    for match in TOKEN.finditer(str(text)[:MAX_QUERY_CHARS]):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.casefold() == "or":
            alternatives.append(current)
            current = []
            continue
        if bare is not None:
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(WORD.findall(phrase))
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        if minus:
            excluded.append(Term(words, excluded=True))
        else:
            current.append(Term(words))
    alternatives.append(current)
    return ParsedQuery(tuple(tuple(terms) for terms in alternatives if terms), tuple(excluded))


@dataclass
class Hit:
    article: Article
    score: float
    snippet: SafeString


def _highlighted(snippet):
    """Escape the snippet, then turn the engine's match marks into <mark> tags."""
    marked = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)  # noqa: S308 (escaped above; only our own tags added)


def _in_scope(scope, column):
    """SQL (and params) true when the article whose id is in `column` is in `scope`: a
    correlated probe, so a selective query never lists the whole scope."""
    probe = scope.order_by().filter(pk=RawSQL(column, [])).values("pk")  # noqa: S611
    sql, params = probe.query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


@dataclass(frozen=True)
class Match:
    """SQL for one way of matching entries: a FROM clause naming the entry `e`, the column that
    holds the article's id there (the one the engine walks in order), a condition and a score,
    each with its params. Only our constants are in the SQL; values are params."""

    from_sql: str
    id_column: str
    where: str
    where_params: list
    score: str
    score_params: list
    #: Whether the match is a full-text one (PostgreSQL looks for its candidates in steps).
    full_text: bool = False
    #: The same condition as `where`, written for the full-text index alone (PostgreSQL's
    #: second step), with its params; empty: `where`.
    index_where: str = ""
    index_where_params: list = field(default_factory=list)


#: How a page of results is ordered, by `order`.
ORDERINGS = {
    "relevance": "score DESC, e.dated DESC, e.article_id DESC",
    "newest": "e.dated DESC, e.article_id DESC",
}


class Engine:
    """What both engines share: the candidates (the newest matches in scope) and the ranked
    page of them, around an engine's `match(query)` (and looser `fallback(query)`),
    `recency_sql()` and `snippets(query, ids)`."""

    #: How candidates are ordered: by the id itself where the engine's full-text index walks
    #: ids in order (FTS5), so the walk stops after CANDIDATES.
    candidate_order = "{id}"

    def fallback(self, query):
        """A looser `Match` to try when nothing matches, or None."""
        return None

    def write_documents(self, ids):
        """Engine work after entries are written (SQLite's triggers need none)."""

    def optimize(self):
        """Tidy the index after a rebuild."""

    def candidates(self, match, scope):
        """SQL (and params) selecting the ids of the CANDIDATES newest matches in `scope`
        (the highest ids: ids grow with time). Ranking and counting stop there, so a word
        found in most stories costs no more than one found in a thousand."""
        probe, probe_params = _in_scope(scope, match.id_column)
        sql = (
            f"SELECT {match.id_column} AS candidate FROM {match.from_sql}"  # noqa: S608
            f" WHERE {match.where} AND {probe}"
            f" ORDER BY {self.candidate_order.format(id=match.id_column)} DESC"
            f" LIMIT {CANDIDATES}"
        )
        return sql, [*match.where_params, *probe_params]

    def candidate_ids(self, match, scope):
        sql, params = self.candidates(match, scope)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def page(self, match, ids, order, limit, offset):
        """(article id, score) of the `limit` best (or newest) of the candidates `ids`."""
        rows, rows_params = self.scored_rows(match, ids)
        sql = (
            f"SELECT e.article_id, {match.score} * {self.recency_sql()} AS score"  # noqa: S608
            f" FROM {rows} ORDER BY {ORDERINGS[order]} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match.score_params, *rows_params, limit, offset])
            return cursor.fetchall()

    def scored_rows(self, match, ids):
        """FROM and WHERE (and params) naming the candidates `ids` as `e`, with what
        `match.score` reads: bm25() needs the match itself. The lower bound lets the engine
        walk only the candidates' range of ids; the unary + keeps SQLite from looking up each
        candidate in the full-text index one by one."""
        sql = (
            f"{match.from_sql} WHERE {match.where} AND {match.id_column} >= %s"
            f" AND +e.article_id IN ({', '.join(['%s'] * len(ids))})"
        )
        return sql, [*match.where_params, min(ids), *ids]


class PostgresEngine(Engine):
    QUERY = "websearch_to_tsquery(%s::regconfig, %s)"
    # Not the id itself: walking the primary key backwards and testing each document would
    # read (and decompress) thousands of them; the GIN index finds the matches at once.
    candidate_order = "({id} + 0)"
    #: ts_rank_cd's weights, in its order: D (unused), C, B, A.
    RANK_WEIGHTS = f"'{{0, {WEIGHTS['body']}, {WEIGHTS['summary']}, {WEIGHTS['headline']}}}'"

    #: Candidates are looked for among this many newest stories first, each tested in turn,
    #: and only then in the rest, through the full-text index: a word found in most stories
    #: fills its candidates there, without the index handing over (or a phrase re-checking)
    #: every story that holds it.
    NEWEST = 1_500

    @property
    def config(self):
        return settings.SEARCH_CONFIG

    def candidates(self, match, scope):
        """As `Engine.candidates`, in two steps: the NEWEST stories, then the rest, which
        PostgreSQL's Append asks only if the first step found fewer than CANDIDATES. The rest's
        bound is written `id + 0` so that the planner cannot walk the primary key there
        (testing each story's document, which it takes for cheap and is not), only the
        full-text index."""
        if not match.full_text:
            return super().candidates(match, scope)
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(article_id) FROM articles_searchentry")
            bound = (cursor.fetchone()[0] or 0) - self.NEWEST
        probe, probe_params = _in_scope(scope, "matches.candidate")
        order = self.candidate_order.format(id=match.id_column)
        # In each step the matches are sorted first and the scope probed after, in that order,
        # only until the limit is met (OFFSET 0 keeps the planner from probing every match).
        steps, params = [], []
        for where, where_params, limit in (
            (match.where, match.where_params, f"{match.id_column} > %s"),
            (
                match.index_where or match.where,
                match.index_where_params or match.where_params,
                f"{match.id_column} + 0 <= %s",
            ),
        ):
            steps.append(
                f"(SELECT candidate FROM (SELECT {match.id_column} AS candidate"  # noqa: S608
                f" FROM {match.from_sql} WHERE {where} AND {limit}"
                f" ORDER BY {order} DESC OFFSET 0) matches WHERE {probe} LIMIT {CANDIDATES})"
            )
            params += [*where_params, bound, *probe_params]
        union = " UNION ALL ".join(steps)
        return f"SELECT candidate FROM ({union}) steps LIMIT {CANDIDATES}", params  # noqa: S608

    def scored_rows(self, match, ids):
        """The candidates by id: they are known to match, and ts_rank_cd needs no match."""
        return "articles_searchentry e WHERE e.article_id = ANY(%s)", [list(ids)]

    def match(self, query):
        """The query on the documents; for the index, phrases are first narrowed by their word
        pairs, and a phrase its pair decides is then asked for as words (no positions to
        check, so the index answers without reading documents)."""
        params = [self.config, query.as_websearch()]
        index_where, index_params = "", []
        pairs, decided = self.phrase_pairs(query)
        if pairs:
            index_where = f"e.pairs @@ %s::tsquery AND e.document @@ {self.QUERY}"
            index_params = [pairs, self.config, query.as_websearch(words_only=decided)]
        return Match(
            from_sql="articles_searchentry e",
            id_column="e.article_id",
            where=f"e.document @@ {self.QUERY}",
            where_params=params,
            score=f"ts_rank_cd({self.RANK_WEIGHTS}, e.document, {self.QUERY})",
            score_params=params,
            full_text=True,
            index_where=index_where,
            index_where_params=index_params,
        )

    def phrase_pairs(self, query):
        """(tsquery, phrases) for the query's phrases: a tsquery of the word pairs
        (`search_word_pairs`, migration 0011) they need, every alternative's pairs joined by
        `&` and the alternatives by `|`, and the phrases that one pair decides on its own (two
        words, apart only by stop words), which need no check of positions when the query has
        one alternative. (None, set()) when an alternative holds no pair. Entries keep their
        text's pairs in `pairs`, whose GIN index narrows a phrase to the stories holding its
        pairs before PostgreSQL reads any document."""
        phrases = {
            " ".join(term.words)
            for terms in query.alternatives
            for term in terms
            if len(term.words) > 1
        }
        if not phrases:
            return None, set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT phrase, array(SELECT lexeme FROM unnest("
                " search_word_pairs(to_tsvector(%s::regconfig, phrase))))"
                " FROM unnest(%s::text[]) AS phrase",
                [self.config, sorted(phrases)],
            )
            pairs = dict(cursor.fetchall())
        alternatives = []
        for terms in query.alternatives:
            needed = [pair for term in terms for pair in pairs.get(" ".join(term.words), [])]
            if not needed:
                return None, set()
            alternatives.append(" & ".join(f"'{pair}'" for pair in needed))
        decided = {phrase for phrase, found in pairs.items() if len(found) == 1}
        tsquery = " | ".join(f"({needed})" for needed in alternatives)
        return tsquery, decided if len(alternatives) == 1 else set()

    def fallback(self, query):
        """Stories naming someone whose name is like the query (trigram word similarity):
        misspelt names. Only for queries as short as a name. The names are looked up among
        people (a short table with its own trigram index), then their stories through the same
        paths and limits as the index's names (`NAME_PATHS`, `PATH_LIMITS`)."""
        words = " ".join(query.words)
        if len(query.words) > NAME_WORDS or len(words) > NAME_CHARS:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM people_person WHERE %s <%% name", [words])
            similar = [row[0] for row in cursor.fetchall()]
        if not similar:
            return None
        # One query per path, each a single filter() so that the limit holds for the same
        # related person; together the stories the index's names would lead to.
        stories = [
            Article.objects.filter(
                Q(**{f"{path.removesuffix(f'{LOOKUP_SEP}name')}__in": similar})
                & PATH_LIMITS.get(path, Q())
            )
            .order_by()
            .values(article_id=F("pk"))
            for path in NAME_PATHS
        ]
        sql, params = stories[0].union(*stories[1:]).order_by().query.sql_with_params()
        return Match(
            from_sql=f"({sql}) named JOIN articles_searchentry e USING (article_id)",
            id_column="e.article_id",
            where="TRUE",
            where_params=list(params),
            score="word_similarity(%s, e.names)",
            score_params=[words],
        )

    def recency_sql(self):
        age_days = "GREATEST(0, EXTRACT(EPOCH FROM (now() - e.dated)) / 86400)"
        return f"(1 + {RECENCY_BOOST} / (1 + {age_days} / {RECENCY_DAYS}))"

    def snippets(self, query, ids):
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            'MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
        )
        sql = (
            f"SELECT article_id, ts_headline(%s::regconfig, body, {self.QUERY}, %s)"  # noqa: S608
            " FROM articles_searchentry WHERE article_id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [self.config, self.config, query.as_websearch(), options, list(ids)]
            )
            return dict(cursor.fetchall())

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_searchentry")

    def write_documents(self, ids):
        columns = (("headline", "A"), ("summary", "B"), ("body", "C"))
        document = " || ".join(
            f"setweight(to_tsvector(%(config)s::regconfig, {column}), '{weight}')"
            for column, weight in columns
        )
        # Each column's pairs of neighbouring words, for phrase queries (`phrase_pairs`).
        pairs = " || ".join(
            f"search_word_pairs(to_tsvector(%(config)s::regconfig, {column}))"
            for column, _ in columns
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE articles_searchentry SET document = {document}, pairs = {pairs}"  # noqa: S608
                " WHERE article_id = ANY(%(ids)s)",
                {"config": self.config, "ids": list(ids)},
            )


class SQLiteEngine(Engine):
    FROM = (
        "articles_searchfts JOIN articles_searchentry e ON e.article_id = articles_searchfts.rowid"
    )
    #: bm25()'s column weights, in the FTS table's order: headline, summary, body.
    BM25_WEIGHTS = ", ".join(str(WEIGHTS[column]) for column in ("headline", "summary", "body"))

    def match(self, query):
        return Match(
            from_sql=self.FROM,
            id_column="articles_searchfts.rowid",
            where="articles_searchfts MATCH %s",
            where_params=[query.as_fts5()],
            score=f"-bm25(articles_searchfts, {self.BM25_WEIGHTS})",
            score_params=[],
        )

    def recency_sql(self):
        age_days = "max(0, julianday('now') - julianday(e.dated))"
        return f"(1 + {RECENCY_BOOST} / (1 + {age_days} / {RECENCY_DAYS}))"

    def snippets(self, query, ids):
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "SELECT rowid, snippet(articles_searchfts, 2, %s, %s, ' … ', %s)"  # noqa: S608
            " FROM articles_searchfts WHERE articles_searchfts MATCH %s"
            f" AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [MARK_START, MARK_END, SNIPPET_WORDS, query.as_fts5(), *ids])
            return dict(cursor.fetchall())

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO articles_searchfts(articles_searchfts) VALUES ('optimize')")


def engine():
    """The engine for the database in use."""
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()


class SearchResults:
    """The articles in `scope` matching `text`, best first (or newest first), as a sequence
    Django's Paginator can page through: only the page asked for is ranked out, loaded and
    given snippets. When nothing matches, the engine's looser match (if any) answers, and
    `loose` says so."""

    ORDERS = tuple(ORDERINGS)

    def __init__(self, text, *, scope, order="relevance"):
        if order not in self.ORDERS:
            raise ValueError(f"order must be one of {self.ORDERS}")
        self.query = parse(text)
        self.scope = scope
        self.order = order
        self.engine = engine()
        self.match = self.engine.match(self.query) if self.query else None
        self.loose = False
        self._ids = None

    @property
    def ids(self):
        """The candidates' ids: the newest CANDIDATES matches in the scope."""
        if self._ids is None:
            self._ids = self._find_ids()
        return self._ids

    def _find_ids(self):
        if self.match is None:
            return []
        ids = self.engine.candidate_ids(self.match, self.scope)
        if not ids and (fallback := self.engine.fallback(self.query)):
            ids = self.engine.candidate_ids(fallback, self.scope)
            if ids:
                self.match, self.loose = fallback, True
        return ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return self.count()

    @property
    def capped(self):
        """Whether more stories match than are ranked (then the newest CANDIDATES are)."""
        return self.count() == CANDIDATES

    def __getitem__(self, page):
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("SearchResults takes a slice without a step")
        start = page.start or 0
        stop = self.count() if page.stop is None else page.stop
        if not self.ids or stop <= start:
            return []
        rows = self.engine.page(self.match, self.ids, self.order, stop - start, start)
        ids = [article_id for article_id, _ in rows]
        articles = self.scope.model.objects.for_listing().in_bulk(ids)
        if self.loose:
            bodies = SearchEntry.objects.filter(pk__in=ids).values_list("pk", "body")
            snippets = {pk: _opening(body) for pk, body in bodies}
        else:
            snippets = self.engine.snippets(self.query, ids)
        return [
            Hit(articles[pk], score, _highlighted(snippets.get(pk, "")))
            for pk, score in rows
            if pk in articles
        ]


def _opening(text):
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


def search(text, *, scope, order="relevance"):
    """The articles in `scope` that match `text` (web-search syntax), as `SearchResults`."""
    return SearchResults(text, scope=scope, order=order)


def matching(text, scope):
    """A filter for the articles of `scope` matching `text` (the CANDIDATES newest; none when
    it holds no word to look for), for lists that keep their own order: the admin's."""
    query = parse(text)
    if not query:
        return Q(pk__in=[])
    search_engine = engine()
    sql, params = search_engine.candidates(search_engine.match(query), scope)
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 (values are params)


def matching_people(text, people):
    """Those of `people` whose name holds every word of `text`, in any case."""
    query = parse(text)
    if not query:
        return people.none()
    condition = Q()
    for word in query.words:
        condition &= Q(name__icontains=word)
    return people.filter(condition)


# The index.


#: Closing tags of blocks, where the plain text needs a space between two paragraphs' words.
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>", re.IGNORECASE)


def _plain_text(value):
    text = html.unescape(strip_tags(BLOCK_END.sub(r"\g<0> ", value or "")))
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def _values(ids, path):
    """(article id, value) for the related `path` across the articles `ids`, within the path's
    limit."""
    articles = Article.objects.filter(pk__in=ids)
    if path in PATH_LIMITS:
        articles = articles.filter(PATH_LIMITS[path])
    return articles.values_list("pk", path).order_by()


def entries_for(ids):
    """Unsaved `SearchEntry` rows for the articles `ids` (those that still exist): one query
    for the articles' own fields, one per related path."""
    own = [path for paths in INDEXED_PATHS.values() for path in paths if LOOKUP_SEP not in path]
    rows = Article.objects.filter(pk__in=ids).values("pk", "first_published_at", "created_at", *own)
    rows = {row["pk"]: row for row in rows.order_by()}
    texts = {pk: {column: [] for column in [*INDEXED_PATHS, "names"]} for pk in rows}
    for column, paths in INDEXED_PATHS.items():
        for path in paths:
            if LOOKUP_SEP in path:
                values = _values(ids, path)
            else:
                values = [(pk, row[path]) for pk, row in rows.items()]
            for pk, value in values:
                if not value:
                    continue
                text = _plain_text(value)[:MAX_TEXT_CHARS]
                texts[pk][column].append(text)
                if path in NAME_PATHS:
                    texts[pk]["names"].append(text)
    return [
        SearchEntry(
            article_id=pk,
            dated=rows[pk]["first_published_at"] or rows[pk]["created_at"],
            **{column: " \n".join(dict.fromkeys(parts)) for column, parts in text.items()},
        )
        for pk, text in texts.items()
    ]


def index_articles(ids):
    """Write the index entries of the articles `ids` from what their rows hold now."""
    ids = list(ids)
    for start in range(0, len(ids), INDEX_BATCH):
        batch = ids[start : start + INDEX_BATCH]
        with transaction.atomic():
            SearchEntry.objects.filter(pk__in=batch).delete()
            entries = SearchEntry.objects.bulk_create(entries_for(batch))
            engine().write_documents([entry.pk for entry in entries])


# Keeping the index in step: once per article per transaction, after it commits.


def reindex_on_commit(ids):
    """Re-index the articles `ids` once the current transaction commits (at once outside one);
    an article changed many times in one transaction is indexed once."""
    current = transaction.get_connection()
    waiting = getattr(current, "search_pending", None)
    # A flush rolled back with its transaction is no longer waiting: start a new one.
    if waiting is not None and any(entry[1] is waiting[0] for entry in current.run_on_commit):
        waiting[1].update(ids)
        return
    pending = set(ids)

    def flush():
        if getattr(current, "search_pending", (None,))[0] is flush:
            current.search_pending = None
        index_articles(sorted(pending))

    current.search_pending = (flush, pending)
    transaction.on_commit(flush)


@receiver(post_save, sender=Article)
def _article_saved(sender, instance, raw=False, **kwargs):
    # A transition's own save is indexed by the post-transition hook below, after it commits.
    if not raw and not instance._moving:
        reindex_on_commit([instance.pk])


@receiver(article_transitioned)
def _article_transitioned(sender, article, **kwargs):
    reindex_on_commit([article.pk])


@receiver(m2m_changed, sender=Article.people.through)
def _people_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        reindex_on_commit((pk_set or []) if reverse else [instance.pk])


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def _tags_changed(sender, instance, **kwargs):
    reindex_on_commit([instance.content_object_id])


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def _byline_changed(sender, instance, **kwargs):
    reindex_on_commit([instance.article_id])


@receiver(post_save, sender=Person)
def _person_changed(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex_on_commit(
            Article.objects.filter(Q(people=instance) | Q(bylines__person=instance))
            .values_list("pk", flat=True)
            .distinct()
        )


@receiver(post_save, sender=Tag)
def _tag_changed(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex_on_commit(
            TaggedArticle.objects.filter(tag=instance).values_list("content_object_id", flat=True)
        )
