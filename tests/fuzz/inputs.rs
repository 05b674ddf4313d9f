//! Inputs: random sequences of the tokens the format is made of, free or
//! as lines with a role, mostly after a valid title page; and the real
//! edition with random byte and line edits.

use std::fmt;

use proptest::prelude::*;
use proptest::sample::Index;

use crate::real;

/// Bytes shown as a Rust byte string, so that a failing case can be
/// pasted into a regression test.
#[derive(Clone)]
pub(crate) struct Doc(pub(crate) Vec<u8>);

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes: b\"{}\"", self.0.len(), self.0.escape_ascii())
    }
}

/// The documents of a case, to be written out when it fails.
pub(crate) trait Docs {
    fn docs(&self) -> Vec<&[u8]>;
}

impl Docs for Doc {
    fn docs(&self) -> Vec<&[u8]> {
        vec![&self.0]
    }
}

impl Docs for (Doc, Doc) {
    fn docs(&self) -> Vec<&[u8]> {
        vec![&self.0.0, &self.1.0]
    }
}

/// The pieces this format is made of.
const TOKENS: &[&[u8]] = &[
    b"# ",
    b"## ",
    b"### ",
    b"#### ",
    b"####### ",
    b"#",
    b"**",
    b"*",
    b"_",
    b"[",
    b"](",
    b")",
    b"(",
    b"](#)",
    b"]: #x",
    b"Recommendation 14",
    b"*Recommendation 14*",
    b"### *Recommendation 2*",
    b"Recommendation (l)",
    b"Recommendation o1",
    b"Observation 3",
    b"Observation o1",
    b"(a)",
    b"(a) ",
    b"(b) ",
    b"(f) ",
    b"(A) ",
    b"(iv) ",
    b"2022",
    b"2023",
    b"# 2023",
    b"9999",
    b"0000",
    b"CTOC/COP/WG.4/2022/4",
    b"CTOC/COP/WG.2/2023/4",
    b"([CTOC/COP/WG.3/2023/4](#))",
    b"CTOC//X",
    b"AB/c/d",
    b"PART A",
    b"Part B",
    b"# A. Recommendations by the Working Groups",
    b"# B. Observations by the Chair",
    b"# Part C: Other",
    b"A. ",
    b"B: ",
    b"Z) ",
    b".....",
    b"\xe2\x80\xa6",
    b"\t4",
    b"<b>",
    b"</b>",
    b"<!-- ",
    b" -->",
    b"- ",
    b"* ",
    b"+ ",
    b"1. ",
    b"2) ",
    b"> ",
    b"    ",
    b"  ",
    b"```",
    b"~~~",
    b"---",
    b"***",
    b"___",
    b"===",
    b"|",
    b"\\",
    b"&amp;",
    b"`",
    b"\n",
    b"\n\n",
    b"\n\n\n",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b" ",
    b"\t",
    b"Working Group on Firearms",
    b"Constructive Dialogue on Technical Assistance",
    b"Summary by the Chair",
    b"Report",
    b"Vienna, April 2024",
    b"15 May 2025",
    b"Vienna, 31 February 2024",
    b"Table of Contents",
    b"Contents",
    b"Guidance for Readers",
    b"2023: Working Group on Firearms .....\t5",
    b"7/7",
    b"law",
    b"the the",
    b"resolution 9/1",
    b"\xe2\x80\x9c",
    b"\xe2\x80\x9d",
    b"'",
    b"\"",
    b"[untoc.review@un.org](mailto:untoc.review@un.org)",
    b"States parties should consider",
    b"SYNTHETIC",
    b".",
    b",",
    b";",
    b":",
    b"\xc3\xa9",
    b"\xe2\x80\xae",
    b"\x1b[31m",
    b"\xf0\x9f\x98\x80",
];

/// Bytes that make a document binary or not UTF-8.
const BAD_TOKENS: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
];

/// Units that long runs repeat.
const RUN_UNITS: &[&[u8]] = &[
    b"#",
    b"*",
    b"_",
    b"(",
    b")",
    b"[",
    b"]",
    b"-",
    b" ",
    b".",
    b"\n",
    b"\r",
    b"> ",
    b"- ",
    b"1. ",
    b"a",
    b"\xc3\xa9",
    b"`",
    b"(a) ",
    b"the ",
    b"7/7 ",
    b"\t",
    b"<",
    b"\\",
];

/// A valid title page and the start of Part A, so that what follows is
/// read as the body of a meeting.
pub(crate) const SKELETON: &[u8] = SKELETON_TEXT.as_bytes();

pub(crate) const SKELETON_TEXT: &str = "# COMPILATION (SYNTHETIC FUZZ EDITION)\n\nVienna, April 2024\n\n\
# A. Recommendations by the Working Groups\n\n2023\n\n\
## Working Group on Firearms (CTOC/COP/WG.6/2023/5)\n\n";

/// One token; `clean` ones are always UTF-8 text without NUL.
fn token(clean: bool) -> BoxedStrategy<Vec<u8>> {
    let text = prop_oneof![
        12 => prop::sample::select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => (prop::sample::select(RUN_UNITS), 1usize..3000)
            .prop_map(|(unit, n)| unit.repeat(n)),
        1 => "[a-zA-Z0-9 .,;:()/#*_-]{1,12}".prop_map(String::into_bytes),
    ];
    if clean {
        text.boxed()
    } else {
        prop_oneof![
            8 => text,
            1 => prop::sample::select(BAD_TOKENS).prop_map(<[u8]>::to_vec),
            1 => prop::collection::vec(any::<u8>(), 1..8),
        ]
        .boxed()
    }
}

/// Up to `max` tokens, clean (UTF-8 text) three times out of four.
pub(crate) fn tokens(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (0..4u8).prop_flat_map(move |dirty| {
        prop::collection::vec(token(dirty > 0), 0..max).prop_map(|ts| ts.concat())
    })
}

/// Line starts that give a line its role in this format.
const LINE_STARTS: &[&[u8]] = &[
    b"",
    b"",
    b"",
    b"# ",
    b"## ",
    b"### ",
    b"#### *Recommendation ",
    b"### *Observation ",
    b"Recommendation ",
    b"- ",
    b"- (a) ",
    b"(b) ",
    b"1. ",
    b"> ",
    b"    ",
    b"2023",
    b"# B. Observations by the Chair\n\n2023\n\n## Constructive Dialogue on ",
    b"## Working Group on ",
    b"---",
];

const LINE_ENDS: &[&[u8]] = &[b"\n\n", b"\n\n", b"\n", b"\r\n\r\n", b"\n\n\n"];

/// Lines of tokens, each with a start that gives it a role (heading, label,
/// list entry, year, part...), so that more of them parse.
pub(crate) fn token_lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            prop::sample::select(LINE_STARTS),
            tokens(6),
            prop::sample::select(LINE_ENDS),
        ),
        0..60,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(start, body, end)| [start.to_vec(), body, end.to_vec()])
            .flatten()
            .collect()
    })
}

/// Tokens, free or in lines, mostly after the skeleton.
pub(crate) fn token_doc() -> impl Strategy<Value = Doc> {
    let body = prop_oneof![tokens(300), token_lines()];
    (0..4u8, body).prop_map(|(skeleton, body)| {
        let mut d = if skeleton > 0 {
            SKELETON.to_vec()
        } else {
            Vec::new()
        };
        d.extend(body);
        Doc(d)
    })
}

/// An edit of a document.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteBytes(Index, usize),
    DuplicateBytes(Index, usize),
    SwapBytes(Index, Index, usize),
    SetByte(Index, u8),
    Insert(Index, Vec<u8>),
    DeleteLines(Index, usize),
    DuplicateLines(Index, usize),
    SwapLines(Index, Index),
    MoveLines(Index, Index, usize),
    /// Every `\n` becomes this.
    LineEndings(&'static [u8]),
}

const LINE_ENDINGS: &[&[u8]] = &[b"\r\n", b"\r", b"\n\n", b" \n"];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::DeleteBytes(i, n)),
        1 => (any::<Index>(), 1usize..256).prop_map(|(i, n)| Mutation::DuplicateBytes(i, n)),
        1 => (any::<Index>(), any::<Index>(), 1usize..128)
            .prop_map(|(a, b, n)| Mutation::SwapBytes(a, b, n)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        3 => (any::<Index>(), tokens(6)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        3 => (any::<Index>(), 1usize..12).prop_map(|(i, n)| Mutation::DeleteLines(i, n)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::DuplicateLines(i, n)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (any::<Index>(), any::<Index>(), 1usize..30)
            .prop_map(|(a, b, n)| Mutation::MoveLines(a, b, n)),
        1 => prop::sample::select(LINE_ENDINGS).prop_map(Mutation::LineEndings),
    ]
}

/// Splits into lines, each with its `\n`.
fn lines(d: &[u8]) -> Vec<Vec<u8>> {
    d.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(d: &mut Vec<u8>, m: &Mutation) {
    let len = d.len();
    let at = |i: &Index, n: usize| if n == 0 { 0 } else { i.index(n) };
    match m {
        Mutation::DeleteBytes(i, n) => {
            let s = at(i, len);
            d.drain(s..(s + n).min(len));
        }
        Mutation::DuplicateBytes(i, n) => {
            let s = at(i, len);
            let piece = d[s..(s + n).min(len)].to_vec();
            d.splice(s..s, piece);
        }
        Mutation::SwapBytes(a, b, n) => {
            let (mut a, mut b) = (at(a, len), at(b, len));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let n = (*n).min(b - a).min(len - b);
            let first = d[a..a + n].to_vec();
            let second = d[b..b + n].to_vec();
            d.splice(b..b + n, first);
            d.splice(a..a + n, second);
        }
        Mutation::SetByte(i, v) => {
            if len > 0 {
                d[at(i, len)] = *v;
            }
        }
        Mutation::Insert(i, t) => {
            let s = at(i, len + 1);
            d.splice(s..s, t.iter().copied());
        }
        Mutation::DeleteLines(i, n) => {
            let mut ls = lines(d);
            let s = at(i, ls.len());
            let e = (s + n).min(ls.len());
            ls.drain(s..e);
            *d = ls.concat();
        }
        Mutation::DuplicateLines(i, n) => {
            let mut ls = lines(d);
            let s = at(i, ls.len());
            let e = (s + n).min(ls.len());
            let piece = ls[s..e].to_vec();
            ls.splice(s..s, piece);
            *d = ls.concat();
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(d);
            if !ls.is_empty() {
                let (a, b) = (at(a, ls.len()), at(b, ls.len()));
                ls.swap(a, b);
            }
            *d = ls.concat();
        }
        Mutation::MoveLines(a, b, n) => {
            let mut ls = lines(d);
            let s = at(a, ls.len());
            let e = (s + n).min(ls.len());
            let piece: Vec<Vec<u8>> = ls.drain(s..e).collect();
            let to = at(b, ls.len() + 1);
            ls.splice(to..to, piece);
            *d = ls.concat();
        }
        Mutation::LineEndings(end) => {
            let mut out = Vec::with_capacity(d.len());
            for &b in d.iter() {
                if b == b'\n' {
                    out.extend_from_slice(end);
                } else {
                    out.push(b);
                }
            }
            *d = out;
        }
    }
}

/// The real edition with `0..max` mutations.
pub(crate) fn mutated_real(max: usize) -> impl Strategy<Value = Doc> {
    let base = real();
    prop::collection::vec(mutation(), 0..max).prop_map(move |ms| {
        let mut d = base.clone();
        for m in &ms {
            apply(&mut d, m);
        }
        Doc(d)
    })
}
