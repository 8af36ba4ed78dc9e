//! What the checker's rule tests share: a rule's case (frames that break
//! it, each with where, and frames that do not) and the checks over a table
//! of cases.

#![allow(dead_code)]

use std::collections::BTreeSet;

use realtime_harness::check::{Report, Rule};
use realtime_harness::ParseError;
use serde_json::Value;

/// One rule's frames.
pub struct Case {
    /// The rule.
    pub rule: Rule,
    /// Frames that break it, each with the pointer of the finding.
    pub bad: Vec<(Value, &'static str)>,
    /// Frames that do not break any rule.
    pub good: Vec<Value>,
}

/// The event a test frame parses to by `parse`; a frame that does not
/// parse is a broken test, not a finding.
pub fn parsed<E>(frame: &Value, parse: fn(&[u8]) -> Result<E, ParseError>) -> E {
    let text = frame.to_string();
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("test frame does not parse: {e}\n{text}"))
}

/// Every good frame of every case draws no finding at all.
pub fn good_frames_are_clean(cases: &[Case], check: fn(&Value) -> Report) {
    for case in cases {
        for frame in &case.good {
            let report = check(frame);
            assert!(
                report.is_empty(),
                "good frame for {} has findings: {:#?}\n{frame}",
                case.rule,
                report.findings
            );
        }
    }
}

/// The ids of the rules `wanted` picks that no case covers.
pub fn uncovered(cases: &[Case], wanted: impl Fn(&Rule) -> bool) -> Vec<&'static str> {
    let covered: BTreeSet<Rule> = cases.iter().map(|c| c.rule).collect();
    Rule::ALL
        .iter()
        .filter(|r| wanted(r) && !covered.contains(r))
        .map(|r| r.id())
        .collect()
}
