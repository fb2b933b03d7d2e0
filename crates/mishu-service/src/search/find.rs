//! Running a search: the words (n-gram phrases that must match, jieba terms that rank), the
//! filters, and the access policy as a clause of the same query, so the count and every page
//! hold only what the actor may read. The page is then checked once more against the
//! database with `readable`, in case this node's index is a few seconds behind.

use super::index::{Fields, SearchIndex};
use super::ngram::query_grams;
use super::{Domain, GRANTS, Readers, SearchDoc, SearchQuery, readable};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::Timestamp;
use mishu_domain::access::{Actor, Capability, ReadScope, allows};
use mishu_domain::org::Clearance;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, TantivyDocument, Term};

/// One result, ready to show: the title and a snippet as HTML (escaped, terms in `<mark>`).
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub domain: Domain,
    pub id: i64,
    pub title: String,
    pub title_html: String,
    pub snippet_html: String,
    pub doc_type: String,
    pub year: i64,
    pub state: String,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchPage {
    /// How many readable objects match, all pages together.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub offset: usize,
    pub next_offset: Option<usize>,
}

pub(super) fn boxed(q: impl Query) -> Box<dyn Query> {
    Box::new(q)
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, boxed(ConstScoreQuery::new(q, 0.0)))
}

pub(super) fn text_term(field: Field, text: &str) -> Box<dyn Query> {
    boxed(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqsAndPositions))
}

/// Matches exactly where `word` occurs as a substring of the field's text.
pub(super) fn substring(field: Field, word: &str) -> Box<dyn Query> {
    let terms: Vec<Term> = query_grams(word).iter().map(|g| Term::from_field_text(field, g)).collect();
    if terms.len() == 1 {
        boxed(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
    } else {
        boxed(PhraseQuery::new(terms))
    }
}

/// Any of a few terms, read lazily from their posting lists. `TermSetQuery` would build a
/// bitset of every matching document per segment on each search (its automaton weight):
/// for the levels an office-wide reader holds that is the whole index, and it was most of
/// the engine's time (issue 7, R_search).
fn any_of(terms: Vec<Term>) -> Box<dyn Query> {
    if let [t] = terms.as_slice() {
        return boxed(TermQuery::new(t.clone(), IndexRecordOption::Basic));
    }
    boxed(BooleanQuery::new(
        terms.into_iter().map(|t| (Occur::Should, boxed(TermQuery::new(t, IndexRecordOption::Basic)))).collect(),
    ))
}

fn basic_term(field: Field, text: &str) -> Box<dyn Query> {
    boxed(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
}

/// `search::readable` as a clause: `access::may_read` through `ReadScope` for `Readers::Policy`
/// objects, and the route or the capabilities the actor holds (`caps`) for the others
/// (tested to decide exactly as `readable`).
pub(super) fn access(f: &Fields, scope: &ReadScope, caps: &[Capability]) -> Box<dyn Query> {
    if scope.people.is_empty() && caps.is_empty() && !scope.office_wide && scope.head_of.is_empty() {
        return boxed(EmptyQuery);
    }
    let mut grants: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !scope.people.is_empty() {
        grants.push((Occur::Should, any_of(scope.people.iter().map(|p| Term::from_field_i64(f.route, p.0)).collect())));
    }
    // Unclassified policy objects, for everyone (office-wide) or within the departments headed.
    let by_role: Option<Vec<(Occur, Box<dyn Query>)>> = if scope.office_wide {
        Some(vec![])
    } else if !scope.head_of.is_empty() {
        Some(vec![(
            Occur::Must,
            any_of(scope.head_of.iter().map(|d| Term::from_field_i64(f.owner_dept, d.0)).collect()),
        )])
    } else {
        None
    };
    if let Some(mut part) = by_role {
        part.push((Occur::Must, basic_term(f.grant, &Readers::Policy.code())));
        part.push((Occur::Must, basic_term(f.cls, Clearance::None.code())));
        grants.push((Occur::Should, boxed(BooleanQuery::new(part))));
    }
    if !caps.is_empty() {
        let terms = caps.iter().map(|c| Term::from_field_text(f.grant, &Readers::RouteOr(*c).code())).collect();
        grants.push((Occur::Should, any_of(terms)));
    }
    let grants = boxed(BooleanQuery::new(grants));
    // Every indexed object carries one of the levels; an actor cleared for all of them needs
    // no level clause at all.
    if Clearance::ALL.iter().all(|c| scope.levels.contains(c)) {
        return grants;
    }
    let levels = scope.levels.iter().map(|c| Term::from_field_text(f.cls, c.code())).collect();
    boxed(BooleanQuery::new(vec![(Occur::Must, any_of(levels)), (Occur::Must, grants)]))
}

/// The capabilities of `GRANTS` the actor holds.
pub(super) fn caps_of(actor: &Actor) -> Vec<Capability> {
    GRANTS.into_iter().filter(|c| allows(Some(actor), *c)).collect()
}

fn build(idx: &SearchIndex, q: &SearchQuery, scope: &ReadScope, caps: &[Capability]) -> ServiceResult<Box<dyn Query>> {
    let f = &idx.f;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut jieba = idx.index().tokenizer_for_field(f.title).map_err(|e| ServiceError::Search(e.to_string()))?;
    for w in &q.words {
        let mut tokens = Vec::new();
        let mut stream = jieba.token_stream(w);
        while let Some(t) = stream.next() {
            tokens.push(t.text.clone());
        }
        clauses.extend(word(f, w, &tokens));
    }
    if let Some(d) = q.domain {
        clauses.push(filter(text_term(f.domain, d.code())));
    }
    if let Some(t) = &q.doc_type {
        clauses.push(filter(text_term(f.doc_type, t)));
    }
    if let Some(s) = &q.state {
        clauses.push(filter(text_term(f.state, s)));
    }
    if let Some(y) = q.year {
        clauses.push(filter(boxed(TermQuery::new(Term::from_field_i64(f.year, y), IndexRecordOption::Basic))));
    }
    if let Some(d) = q.department {
        clauses.push(filter(boxed(TermQuery::new(Term::from_field_i64(f.dept, d), IndexRecordOption::Basic))));
    }
    clauses.push(filter(access(f, scope, caps)));
    Ok(boxed(BooleanQuery::new(clauses)))
}

/// True when a document where jieba finds `tokens` as words must also hold `w` as a
/// substring: `w` is one token, and has no cased letter, so the jieba field's lower-casing
/// cannot make a match the n-gram fields' ASCII folding would not (a Kelvin sign is `k`
/// to one and not to the other).
pub(super) fn one_whole_word(w: &str, tokens: &[String]) -> bool {
    matches!(tokens, [t] if t == w) && w.chars().all(|c| !c.is_uppercase() && !c.is_lowercase())
}

/// The clauses of one word: it must occur (the n-gram phrase in the title, boosted, or the
/// body), and whole words rank above fragments (会议 as a word before 会议室 or 大会议程).
/// When the word is one whole jieba word, its ranking terms match only where the n-grams do,
/// so all four join one union: the same matches and the same summed score, without an
/// optional scorer sought at every match (for the commonest bench term 0.87 → 0.50 ms,
/// issue 7, R_search). Otherwise the ranking terms stay optional beside the required match.
pub(super) fn word(f: &Fields, w: &str, tokens: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
    let found = vec![
        (Occur::Should, boxed(BoostQuery::new(substring(f.title_ng, w), 2.0))),
        (Occur::Should, substring(f.body_ng, w)),
    ];
    let ranking = tokens.iter().flat_map(|t| {
        [(Occur::Should, boxed(BoostQuery::new(text_term(f.title, t), 1.5))), (Occur::Should, text_term(f.body, t))]
    });
    if one_whole_word(w, tokens) {
        return vec![(Occur::Must, boxed(BooleanQuery::new(found.into_iter().chain(ranking).collect())))];
    }
    let mut out = vec![(Occur::Must, boxed(BooleanQuery::new(found)))];
    out.extend(ranking);
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn highlight(generator: &SnippetGenerator, text: &str, fallback_chars: usize) -> String {
    let mut snippet = generator.snippet(text);
    if snippet.highlighted().is_empty() {
        let head: String = text.chars().take(fallback_chars).collect();
        let more = if text.chars().count() > fallback_chars { "…" } else { "" };
        return format!("{}{more}", escape(&head));
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    snippet.to_html()
}

/// The engine's answer for one page: what it searched with, the exact count of readable
/// matches and the page's keys, best first. No database.
struct Found {
    searcher: tantivy::Searcher,
    query: Box<dyn Query>,
    total: usize,
    keys: Vec<(Domain, i64)>,
}

fn find(s: &Services, actor: &Actor, q: &SearchQuery) -> ServiceResult<Option<Found>> {
    let scope = ReadScope::of(actor);
    if q.words.is_empty() || scope.levels.is_empty() {
        return Ok(None);
    }
    let idx = &s.search;
    let query = build(idx, q, &scope, &caps_of(actor))?;
    let searcher = idx.searcher();
    let e = |e: tantivy::TantivyError| ServiceError::Search(e.to_string());
    let collector = (Count, TopDocs::with_limit(q.limit).and_offset(q.offset).order_by_score());
    let (total, top) = searcher.search(&*query, &collector).map_err(e)?;
    let mut keys: Vec<(Domain, i64)> = Vec::with_capacity(top.len());
    for (_, addr) in &top {
        keys.push(stored_key(&searcher.doc::<TantivyDocument>(*addr).map_err(e)?, &idx.f, *addr)?);
    }
    Ok(Some(Found { searcher, query, total, keys }))
}

/// The engine's part of `search` alone: the exact count and the page's (domain, id) keys.
/// The benchmark's R_search times this ("tantivy top-20", performance.md D2); `search` adds
/// the database's check of the page and the snippets.
pub fn engine_page(s: &Services, actor: &Actor, q: &SearchQuery) -> ServiceResult<(usize, Vec<(Domain, i64)>)> {
    Ok(find(s, actor, q)?.map_or((0, vec![]), |f| (f.total, f.keys)))
}

/// The matches the actor may read, best first, one page of them, with the exact count.
pub async fn search(s: &Services, actor: &Actor, q: &SearchQuery) -> ServiceResult<SearchPage> {
    let Some(Found { searcher, query, total, keys: found }) = find(s, actor, q)? else {
        return Ok(SearchPage { offset: q.offset, ..SearchPage::default() });
    };
    let idx = &s.search;
    let e = |e: tantivy::TantivyError| ServiceError::Search(e.to_string());
    // Belt and braces: the page's objects as the database has them now, each asked again.
    let mut current: BTreeMap<(Domain, i64), SearchDoc> = BTreeMap::new();
    let mut by_domain: BTreeMap<Domain, Vec<i64>> = BTreeMap::new();
    for (d, id) in &found {
        by_domain.entry(*d).or_default().push(*id);
    }
    for (d, ids) in by_domain {
        for doc in d.load(s, &ids).await? {
            current.insert((doc.domain, doc.id), doc);
        }
    }
    let mut title_gen = SnippetGenerator::create(&searcher, &*query, idx.f.title_ng).map_err(e)?;
    title_gen.set_max_num_chars(200);
    let mut body_gen = SnippetGenerator::create(&searcher, &*query, idx.f.body_ng).map_err(e)?;
    body_gen.set_max_num_chars(120);
    let mut hits = Vec::with_capacity(found.len());
    for key in found {
        let Some(doc) = current.remove(&key).filter(|d| readable(actor, d)) else {
            tracing::warn!(domain = key.0.code(), id = key.1, "search: the index was behind; a hit was dropped");
            continue;
        };
        hits.push(Hit {
            domain: doc.domain,
            id: doc.id,
            title_html: highlight(&title_gen, &doc.title, 200),
            snippet_html: highlight(&body_gen, &doc.body, 120),
            title: doc.title,
            doc_type: doc.doc_type,
            year: doc.year,
            state: doc.state,
            at: doc.at,
        });
    }
    let next = q.offset + q.limit;
    Ok(SearchPage { total, hits, offset: q.offset, next_offset: (next < total).then_some(next) })
}

fn stored_key(doc: &TantivyDocument, f: &Fields, addr: DocAddress) -> ServiceResult<(Domain, i64)> {
    let domain = doc.get_first(f.domain).and_then(|v| v.as_str()).and_then(Domain::parse);
    let id = doc.get_first(f.id).and_then(|v| v.as_i64());
    match (domain, id) {
        (Some(d), Some(id)) => Ok((d, id)),
        _ => Err(ServiceError::Search(format!("a stored document without domain or id at {addr:?}"))),
    }
}
