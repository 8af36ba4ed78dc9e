//! The violations of a frame against an event schema, refined: a failed
//! union (`anyOf`, `oneOf`) is replaced by the violations of the branch the
//! frame meant when one stands out, or by one merged violation when every
//! branch says the same kind of thing, so that a finding names the member
//! that is wrong rather than the whole union.

use std::fmt;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::one_line;

/// One reason a frame does not satisfy a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON Pointer into the frame (`/session/audio/output/speed`). For a missing required
    /// member it points at where the member belongs (`/item_id`), which is what a user fixes.
    pub instance_pointer: String,
    /// Where in the fixed document the failing keyword is
    /// (`#/components/schemas/RealtimeClientEventConversationItemDelete/required`).
    pub schema_path: String,
    /// The JSON Schema keyword that failed (`required`, `maxLength`, `type`, `anyOf`, ...).
    pub keyword: String,
    /// What the validator said, in one line.
    pub message: String,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_pointer.is_empty() {
            "the frame"
        } else {
            &self.instance_pointer
        };
        write!(f, "at {at}: {} (schema {})", self.message, self.schema_path)
    }
}

pub(super) fn collect(validator: &Validator, frame: &Value) -> Vec<SchemaViolation> {
    let mut out = Vec::new();
    for error in validator.iter_errors(frame) {
        refine(&error, &mut out, 0);
    }
    out
}

/// Replaces a failed union by the violations of the branch the instance meant, when one
/// branch stands out; merges the branches' complaints when they all say the same kind of thing;
/// otherwise keeps the union's own error.
fn refine(error: &ValidationError<'_>, out: &mut Vec<SchemaViolation>, depth: usize) {
    let context = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    };
    if let (Some(branches), true) = (context, depth < MAX_UNION_DEPTH) {
        let at = error.instance_path().as_str();
        if let Some(branch) = chosen_branch(at, branches) {
            for inner in branch {
                refine(inner, out, depth + 1);
            }
            return;
        }
        if let Some(merged) = merged_violation(error, branches) {
            out.push(merged);
            return;
        }
    }
    out.push(violation_of(error));
}

/// Unions nest (`anyOf [{$ref: union}, null]`); deeper than this, the union error stands.
const MAX_UNION_DEPTH: usize = 32;

/// Whether a branch's errors show it was meant for another kind of value than the one at
/// `at`: a wrong JSON type, a wrong `type` member, or a nested union all of whose branches
/// are meant for other kinds.
fn meant_for_other_kind(errors: &[ValidationError<'_>], at: &str, depth: usize) -> bool {
    let type_member = format!("{at}/type");
    errors.iter().any(|e| {
        let path = e.instance_path().as_str();
        match e.kind() {
            _ if path == type_member => true,
            ValidationErrorKind::Type { .. } => path == at,
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                path == at
                    && depth < MAX_UNION_DEPTH
                    && context
                        .iter()
                        .all(|branch| meant_for_other_kind(branch, at, depth + 1))
            }
            _ => false,
        }
    })
}

/// The member directly below `at` that an `enum`/`const` error is about, if it is one.
fn failed_pin<'e>(error: &'e ValidationError<'_>, at: &str) -> Option<&'e str> {
    let member = error
        .instance_path()
        .as_str()
        .strip_prefix(at)?
        .strip_prefix('/')?;
    let is_pin = matches!(
        error.kind(),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
    );
    (is_pin && !member.contains('/')).then_some(member)
}

/// The one branch the value at `at` was meant for: first drop the branches meant for another
/// kind of value; if several remain, also drop those failing an `enum`/`const` on a direct
/// member (the `role` of the three `message` items).
fn chosen_branch<'c>(
    at: &str,
    branches: &'c [Vec<ValidationError<'static>>],
) -> Option<&'c Vec<ValidationError<'static>>> {
    let candidates: Vec<_> = branches
        .iter()
        .filter(|b| !meant_for_other_kind(b, at, 0))
        .collect();
    if let [only] = candidates.as_slice() {
        return Some(only);
    }
    let narrowed: Vec<_> = candidates
        .into_iter()
        .filter(|b| !b.iter().any(|e| failed_pin(e, at).is_some()))
        .collect();
    match narrowed.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// One violation standing for all branches when they agree on what is wrong: every branch
/// rejects the JSON type of the value (`5` for `anyOf [string, enum]`), or every branch left
/// fails an `enum`/`const` on the same member (`role: "robot"` for the `message` items).
fn merged_violation(
    union: &ValidationError<'_>,
    branches: &[Vec<ValidationError<'static>>],
) -> Option<SchemaViolation> {
    let at = union.instance_path().as_str();
    let schema_path = format!("#{}", union.schema_path().as_str());
    let is_wrong_type = |e: &ValidationError<'_>| {
        e.instance_path().as_str() == at && matches!(e.kind(), ValidationErrorKind::Type { .. })
    };
    let mut flat = Vec::new();
    flatten_branches(branches, at, &mut flat, 0);
    if flat.iter().all(|b| b.iter().any(is_wrong_type)) {
        let mut expected: Vec<String> = Vec::new();
        for error in flat.iter().copied().flatten().filter(|e| is_wrong_type(e)) {
            if let ValidationErrorKind::Type { kind } = error.kind() {
                let names: Vec<String> = match kind {
                    TypeKind::Single(t) => vec![t.to_string()],
                    TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
                };
                for name in names {
                    if !expected.contains(&name) {
                        expected.push(name);
                    }
                }
            }
        }
        return Some(SchemaViolation {
            instance_pointer: at.to_owned(),
            schema_path,
            keyword: "type".to_owned(),
            message: format!(
                "{} is not of type {}",
                shown(union.instance()),
                quoted_list(expected.iter().map(String::as_str))
            ),
        });
    }
    // Branches for the same JSON kind of value; of those, the ones whose `type` member fits,
    // when there are any.
    let same_kind: Vec<_> = flat
        .into_iter()
        .filter(|b| !b.iter().any(is_wrong_type))
        .collect();
    let fitting: Vec<_> = same_kind
        .iter()
        .copied()
        .filter(|b| !meant_for_other_kind(b, at, 0))
        .collect();
    let candidates = if fitting.is_empty() {
        same_kind
    } else {
        fitting
    };
    let mut member: Option<&str> = None;
    let mut allowed: Vec<String> = Vec::new();
    let mut instance = None;
    for branch in &candidates {
        let pins: Vec<_> = branch
            .iter()
            .filter_map(|e| failed_pin(e, at).map(|m| (m, e)))
            .collect();
        let [(name, error)] = pins.as_slice() else {
            return None;
        };
        if member.is_some_and(|m| m != *name) {
            return None;
        }
        member = Some(name);
        instance = Some(error.instance());
        let values: Vec<Value> = match error.kind() {
            ValidationErrorKind::Enum { options } => {
                options.as_array().cloned().unwrap_or_default()
            }
            ValidationErrorKind::Constant { expected_value } => vec![(**expected_value).clone()],
            _ => Vec::new(),
        };
        for value in values {
            let text = value.to_string();
            if !allowed.contains(&text) {
                allowed.push(text);
            }
        }
    }
    let (member, instance) = (member?, instance?);
    Some(SchemaViolation {
        instance_pointer: format!("{at}/{member}"),
        schema_path,
        keyword: "enum".to_owned(),
        message: format!("{} is not one of {}", shown(instance), allowed.join(", ")),
    })
}

/// The branches of a union, with each branch that is itself a failed union (at the same
/// instance) replaced by its own branches.
fn flatten_branches<'b>(
    branches: &'b [Vec<ValidationError<'static>>],
    at: &str,
    out: &mut Vec<&'b [ValidationError<'static>]>,
    depth: usize,
) {
    for branch in branches {
        let nested = match branch.as_slice() {
            [only] if only.instance_path().as_str() == at && depth < MAX_UNION_DEPTH => {
                match only.kind() {
                    ValidationErrorKind::AnyOf { context }
                    | ValidationErrorKind::OneOfNotValid { context } => Some(context),
                    _ => None,
                }
            }
            _ => None,
        };
        match nested {
            Some(context) => flatten_branches(context, at, out, depth + 1),
            None => out.push(branch),
        }
    }
}

/// A value as a message shows it: JSON, cut short when long.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

fn quoted_list<'s>(names: impl Iterator<Item = &'s str>) -> String {
    names
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn violation_of(error: &ValidationError<'_>) -> SchemaViolation {
    let mut instance_pointer = error.instance_path().as_str().to_owned();
    if let ValidationErrorKind::Required { property } = error.kind() {
        let name = property
            .as_str()
            .map_or_else(|| property.to_string(), str::to_owned);
        instance_pointer = format!("{instance_pointer}/{}", crate::pointer::escape(&name));
    }
    let mut message = one_line(&error.to_string());
    if message.len() > 240 {
        message = one_line(&error.masked_with("the value").to_string());
    }
    SchemaViolation {
        instance_pointer,
        schema_path: format!("#{}", error.schema_path().as_str()),
        keyword: error.kind().keyword().to_owned(),
        message,
    }
}
