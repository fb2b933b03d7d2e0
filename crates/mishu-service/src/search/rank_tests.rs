//! The one-union form of a whole word (`find::word`) against the form it replaced (the
//! n-gram match required, the jieba terms optional beside it): the same documents with the
//! same scores, for whole words, split words, single characters and cased letters.

use super::SearchDoc;
use super::find::{boxed, one_whole_word, substring, text_term, word};
use super::index::{Fields, SearchIndex};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query};

const TEXTS: [(&str, &str); 10] = [
    ("关于召开工作会议的通知", "定于下周召开全院工作会议，请各部门做好准备。"),
    ("第三会议室使用安排", "会议室设备检修，会议改在报告厅。"),
    ("大会议程", "大会议程附后。"),
    ("教学工作要点", "加强教学管理，推进教学改革，会议决定。"),
    ("OFD 版式文件试点", "ofd 文件与 PDF 文件并行。"),
    ("温度单位说明", "开氏温度以 \u{212A} 表示。"),
    ("信访工作条例学习", "信访事项及时办理。"),
    ("2026年度工作计划", "2026 年重点工作。"),
    ("会", "会"),
    ("无关标题", "毫不相关的正文。"),
];

fn docs() -> Vec<SearchDoc> {
    TEXTS.iter().enumerate().map(|(i, (title, body))| super::test_doc(i as i64, title, body)).collect()
}

/// The form before: the n-gram match required, every jieba term optional beside it.
fn before(f: &Fields, w: &str, tokens: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
    let found = BooleanQuery::new(vec![
        (Occur::Should, boxed(BoostQuery::new(substring(f.title_ng, w), 2.0))),
        (Occur::Should, substring(f.body_ng, w)),
    ]);
    let mut out = vec![(Occur::Must, boxed(found))];
    for t in tokens {
        out.push((Occur::Should, boxed(BoostQuery::new(text_term(f.title, t), 1.5))));
        out.push((Occur::Should, text_term(f.body, t)));
    }
    out
}

#[test]
fn a_whole_word_in_one_union_finds_and_ranks_as_before() {
    let idx = SearchIndex::in_ram();
    idx.write(&[], &docs(), Some(0)).unwrap();
    let searcher = idx.searcher();
    let mut jieba = idx.index().tokenizer_for_field(idx.f.title).unwrap();
    let (mut merged, mut kept) = (0, 0);
    for w in ["会议", "教学", "会议室", "工作会议", "信访", "会", "2026", "OFD", "ofd", "k", "温度", "没有"]
    {
        let mut tokens = Vec::new();
        let mut stream = jieba.token_stream(w);
        while let Some(t) = stream.next() {
            tokens.push(t.text.clone());
        }
        if one_whole_word(w, &tokens) {
            merged += 1
        } else {
            kept += 1
        }
        let run = |clauses: Vec<(Occur, Box<dyn Query>)>| {
            let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(100).order_by_score()).unwrap();
            let mut v: Vec<(u32, f32)> = top.into_iter().map(|(s, a)| (a.doc_id, s)).collect();
            v.sort_by_key(|d| d.0);
            v
        };
        let (now, was) = (run(word(&idx.f, w, &tokens)), run(before(&idx.f, w, &tokens)));
        assert_eq!(now.iter().map(|d| d.0).collect::<Vec<_>>(), was.iter().map(|d| d.0).collect::<Vec<_>>(), "{w}");
        for ((_, a), (_, b)) in now.iter().zip(&was) {
            assert!((a - b).abs() < 1e-4 * b.abs().max(1.0), "{w}: score {a} now, {b} before");
        }
    }
    assert!(merged >= 4 && kept >= 3, "both forms tested: {merged} merged, {kept} kept");
}
