//! Comparing two versions of a draft (R2.2 step 5, "revise repeatedly"): a character-level
//! diff, because Chinese text has no spaces to split words on. A plain longest-common-
//! subsequence table after trimming the common head and tail: drafts differ in a few places,
//! so the table stays small; very large changes fall back to whole-paragraph replacement.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// A run of characters with the same change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub change: Change,
    pub text: String,
}

/// Largest middle part (old × new characters) the table is built for.
const MAX_CELLS: usize = 4_000_000;

/// The changes from `old` to `new`, as runs.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<(Change, char)> = a[..head].iter().map(|c| (Change::Same, *c)).collect();
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        out.extend(am.iter().map(|c| (Change::Removed, *c)));
        out.extend(bm.iter().map(|c| (Change::Added, *c)));
    } else {
        out.extend(lcs(am, bm));
    }
    out.extend(a[a.len() - tail..].iter().map(|c| (Change::Same, *c)));
    let mut segs: Vec<Segment> = Vec::new();
    for (ch, c) in out {
        match segs.last_mut() {
            Some(s) if s.change == ch => s.text.push(c),
            _ => segs.push(Segment { change: ch, text: c.to_string() }),
        }
    }
    segs
}

fn lcs(a: &[char], b: &[char]) -> Vec<(Change, char)> {
    let (n, m) = (a.len(), b.len());
    // len[i][j] = LCS length of a[i..] and b[j..].
    let mut len = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[at(i, j)] =
                if a[i] == b[j] { len[at(i + 1, j + 1)] + 1 } else { len[at(i + 1, j)].max(len[at(i, j + 1)]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((Change::Same, a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || len[at(i, j + 1)] >= len[at(i + 1, j)]) {
            out.push((Change::Added, b[j]));
            j += 1;
        } else {
            out.push((Change::Removed, a[i]));
            i += 1;
        }
    }
    // Removals read better before additions within one changed run.
    let mut k = 0;
    while k < out.len() {
        if out[k].0 == Change::Same {
            k += 1;
            continue;
        }
        let end = out[k..].iter().position(|(c, _)| *c == Change::Same).map_or(out.len(), |p| k + p);
        out[k..end].sort_by_key(|(c, _)| *c == Change::Added);
        k = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &[Segment]) -> String {
        s.iter()
            .map(|x| match x.change {
                Change::Same => x.text.clone(),
                Change::Removed => format!("[-{}]", x.text),
                Change::Added => format!("[+{}]", x.text),
            })
            .collect()
    }

    #[test]
    fn diff_table() {
        let cases = [
            ("", "", ""),
            ("abc", "abc", "abc"),
            ("", "新增", "[+新增]"),
            ("删除", "", "[-删除]"),
            ("请于12月1日前报送", "请于12月5日前报送", "请于12月[-1][+5]日前报送"),
            ("各部门要高度重视", "各部门、各单位要高度重视", "各部门[+、各单位]要高度重视"),
            ("一、总体要求\n二、工作安排", "一、总体要求\n二、具体安排", "一、总体要求\n二、[-工作][+具体]安排"),
        ];
        for (a, b, want) in cases {
            assert_eq!(show(&diff(a, b)), want, "{a} → {b}");
        }
    }

    #[test]
    fn applying_the_diff_gives_both_sides() {
        let (a, b) = ("关于做好元旦期间安全工作的通知", "关于做好元旦春节期间有关工作的通知");
        let d = diff(a, b);
        let old: String = d.iter().filter(|s| s.change != Change::Added).map(|s| s.text.as_str()).collect();
        let new: String = d.iter().filter(|s| s.change != Change::Removed).map(|s| s.text.as_str()).collect();
        assert_eq!((old.as_str(), new.as_str()), (a, b));
    }
}
