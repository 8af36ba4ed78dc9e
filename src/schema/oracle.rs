//! Compiled JSON Schema validators for the events of one family (client or server) of the
//! (fixed) OpenAPI document.

use std::fmt;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{json, Map, Value};

use super::defects::FixedSchemas;
use super::walk::{component_name, SCHEMA_REF_PREFIX};
use super::{one_line, DefectFix, SpecDocument, SpecError, SpecProblem};
use crate::events::Family;

/// Which era of the API an event schema belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaFamily {
    /// A member of the GA union `RealtimeClientEvent`.
    Ga,
    /// A `RealtimeClientEvent*` schema the GA union leaves out:
    /// `RealtimeClientEventTranscriptionSessionUpdate` (`transcription_session.update`).
    Legacy,
    /// A beta-era `RealtimeBetaClientEvent*` schema.
    Beta,
}

impl fmt::Display for SchemaFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ga => "GA",
            Self::Legacy => "legacy",
            Self::Beta => "beta",
        })
    }
}

/// One client event schema the oracle compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSchema {
    /// Its `components.schemas` name, e.g. `RealtimeClientEventSessionUpdate`.
    pub name: String,
    /// GA, legacy or beta.
    pub family: SchemaFamily,
    /// The wire `type` it pins (`session.update`), when its `type` enum has one value.
    pub event_type: Option<String>,
}

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

struct CompiledEvent {
    schema: EventSchema,
    validator: Validator,
}

/// Validators for the client events of OpenAI's OpenAPI document, after the [`DefectFix`]es.
///
/// Building one compiles a few dozen schemas; build it once ([`SchemaOracle::shared`]) and
/// reuse it.
pub struct SchemaOracle {
    family: Family,
    union: Validator,
    events: Vec<CompiledEvent>,
    fixes: Vec<DefectFix>,
}

impl fmt::Debug for SchemaOracle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaOracle")
            .field(
                "events",
                &self
                    .events
                    .iter()
                    .map(|e| &e.schema.name)
                    .collect::<Vec<_>>(),
            )
            .field(
                "fixes",
                &self.fixes.iter().map(|f| f.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A process-wide oracle, or the error of the one attempt to make it.
type SharedOracle = OnceLock<Result<SchemaOracle, SpecError>>;

impl SchemaOracle {
    /// Compiles the client event schemas of `doc` with every known defect fix applied.
    ///
    /// # Errors
    ///
    /// When the document lacks `RealtimeClientEvent`, a `$ref` names a missing schema, or a
    /// schema does not compile.
    pub fn new(doc: &SpecDocument) -> Result<Self, SpecError> {
        Self::with_fixes(doc, |_| true)
    }

    /// Compiles the schemas exactly as the document has them: the strict reading, which
    /// rejects frames the documentation itself uses (see [`DefectFix`]).
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::new`].
    pub fn unfixed(doc: &SpecDocument) -> Result<Self, SpecError> {
        Self::with_fixes(doc, |_| false)
    }

    /// Compiles with only the fixes whose id `wanted` accepts
    /// (ids: [`known_fix_ids`](super::known_fix_ids)).
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::new`].
    pub fn with_fixes(
        doc: &SpecDocument,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Self, SpecError> {
        Self::of_family(doc, Family::Client, wanted)
    }

    /// Compiles the server event schemas of `doc` (`RealtimeServerEvent` and its branches,
    /// the beta-era `RealtimeBetaServerEvent*`) with every known defect fix applied.
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::new`], for `RealtimeServerEvent`.
    pub fn server(doc: &SpecDocument) -> Result<Self, SpecError> {
        Self::of_family(doc, Family::Server, |_| true)
    }

    /// Compiles the event schemas of `family` with the fixes whose id `wanted` accepts.
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::new`], for the family's union.
    pub fn of_family(
        doc: &SpecDocument,
        family: Family,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Self, SpecError> {
        let fixed = FixedSchemas::of_family(doc, family, &wanted)?;
        let union_name = family.union_schema();
        let ga_members = union_members(&fixed.schemas, union_name);
        let components = json!({ "schemas": Value::Object(fixed.schemas.clone()) });
        let compile = |name: &str| -> Result<Validator, SpecError> {
            let root = json!({
                "$ref": format!("{SCHEMA_REF_PREFIX}{}", crate::pointer::escape(name)),
                "components": components,
            });
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(false)
                .build(&root)
                .map_err(|e| {
                    SpecError::new(
                        doc.source(),
                        SpecProblem::Compile {
                            schema: name.to_owned(),
                            message: e.to_string(),
                        },
                    )
                })
        };
        let union = compile(union_name)?;
        let mut events = Vec::new();
        for (name, schema) in &fixed.schemas {
            if name == union_name || !family.is_event_schema(name) {
                continue;
            }
            let era = if name.starts_with(family.beta_prefix()) {
                SchemaFamily::Beta
            } else if ga_members.contains(name) {
                SchemaFamily::Ga
            } else {
                SchemaFamily::Legacy
            };
            let event_type = pinned_type(schema);
            // A beta or legacy name that pins no `type` is no event (a union, a helper).
            if era != SchemaFamily::Ga && event_type.is_none() {
                continue;
            }
            events.push(CompiledEvent {
                schema: EventSchema {
                    name: name.clone(),
                    family: era,
                    event_type,
                },
                validator: compile(name)?,
            });
        }
        events.sort_by(|a, b| {
            (a.schema.family, &a.schema.name).cmp(&(b.schema.family, &b.schema.name))
        });
        Ok(Self {
            family,
            union,
            events,
            fixes: fixed.fixes,
        })
    }

    /// The oracle for [`SpecDocument::load_default`] (the embedded extract, or the document
    /// `$REALTIME_HARNESS_SPEC` names), built once per process and shared.
    ///
    /// # Errors
    ///
    /// The (cloned) error of the one attempt to load and compile, when it failed.
    pub fn shared() -> Result<&'static SchemaOracle, SpecError> {
        static SHARED: SharedOracle = OnceLock::new();
        Self::shared_in(&SHARED, Self::new)
    }

    /// [`SchemaOracle::shared`] for the server events.
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::shared`].
    pub fn shared_server() -> Result<&'static SchemaOracle, SpecError> {
        static SHARED: SharedOracle = OnceLock::new();
        Self::shared_in(&SHARED, Self::server)
    }

    /// The oracle `build` makes of [`SpecDocument::load_default`], made
    /// once into `cell`.
    fn shared_in(
        cell: &'static SharedOracle,
        build: fn(&SpecDocument) -> Result<SchemaOracle, SpecError>,
    ) -> Result<&'static SchemaOracle, SpecError> {
        cell.get_or_init(|| SpecDocument::load_default().and_then(|d| build(&d)))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The shared oracle of `family`.
    ///
    /// # Errors
    ///
    /// As [`SchemaOracle::shared`].
    pub fn shared_of(family: Family) -> Result<&'static SchemaOracle, SpecError> {
        match family {
            Family::Client => Self::shared(),
            Family::Server => Self::shared_server(),
        }
    }

    /// The event family this oracle judges.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The fixes applied to the document this oracle was built from, each listed once.
    pub fn fixes(&self) -> &[DefectFix] {
        &self.fixes
    }

    /// Every event schema compiled: GA first, then legacy, then beta, each by name.
    pub fn event_schemas(&self) -> impl Iterator<Item = &EventSchema> {
        self.events.iter().map(|e| &e.schema)
    }

    /// The GA event schema for a wire `type`, e.g. `session.update` ->
    /// `RealtimeClientEventSessionUpdate`.
    pub fn ga_schema_for(&self, event_type: &str) -> Option<&EventSchema> {
        self.events
            .iter()
            .map(|e| &e.schema)
            .find(|s| s.family == SchemaFamily::Ga && s.event_type.as_deref() == Some(event_type))
    }

    /// Whether `frame` satisfies the GA union `RealtimeClientEvent`.
    pub fn is_valid_ga(&self, frame: &Value) -> bool {
        self.union.is_valid(frame)
    }

    /// Validates `frame` against the GA union `RealtimeClientEvent`.
    ///
    /// A failed `anyOf` says only that no branch matched, so when the frame's `type` names a
    /// GA event the violations are that event schema's; likewise, inside the frame, a failed
    /// union whose branches are told apart by `type` (items, tools, sessions) or by JSON type
    /// (`null` or not) reports the violations of the branch the frame chose.
    ///
    /// # Errors
    ///
    /// Every violation found, at least one.
    pub fn validate_ga(&self, frame: &Value) -> Result<(), Vec<SchemaViolation>> {
        if self.union.is_valid(frame) {
            return Ok(());
        }
        let union_name = self.family.union_schema();
        let noun = self.family.as_str();
        let union_path = format!("{SCHEMA_REF_PREFIX}{union_name}/anyOf");
        let violation = |keyword: &str, message: String| {
            vec![SchemaViolation {
                instance_pointer: "/type".to_owned(),
                schema_path: union_path.clone(),
                keyword: keyword.to_owned(),
                message,
            }]
        };
        let Some(object) = frame.as_object() else {
            return Err(vec![SchemaViolation {
                instance_pointer: String::new(),
                schema_path: union_path.clone(),
                keyword: "type".to_owned(),
                message: format!("a {noun} event is a JSON object, not {}", kind_of(frame)),
            }]);
        };
        let event_type = match object.get("type") {
            None => {
                return Err(violation(
                    "required",
                    format!("no `type` member: every {noun} event names its type"),
                ))
            }
            Some(Value::String(t)) => t,
            Some(other) => {
                return Err(violation(
                    "type",
                    format!("`type` is {}, not a string", kind_of(other)),
                ))
            }
        };
        if let Some(event) = self.events.iter().find(|e| {
            e.schema.family == SchemaFamily::Ga && e.schema.event_type.as_ref() == Some(event_type)
        }) {
            let violations = collect(&event.validator, frame);
            if !violations.is_empty() {
                return Err(violations);
            }
        } else {
            let elsewhere: Vec<String> = self
                .events
                .iter()
                .filter(|e| e.schema.event_type.as_ref() == Some(event_type))
                .map(|e| format!("{} {}", e.schema.family, e.schema.name))
                .collect();
            if !elsewhere.is_empty() {
                return Err(violation(
                    "enum",
                    format!(
                        "`{event_type}` is not a GA {noun} event (no branch of {union_name}); \
                         the document has it only as {}",
                        elsewhere.join(" and ")
                    ),
                ));
            }
            let known: Vec<&str> = self
                .events
                .iter()
                .filter(|e| e.schema.family == SchemaFamily::Ga)
                .filter_map(|e| e.schema.event_type.as_deref())
                .collect();
            return Err(violation(
                "enum",
                format!(
                    "`{event_type}` is not a {noun} event type; expected one of {}",
                    known.join(", ")
                ),
            ));
        }
        Err(collect(&self.union, frame))
    }

    /// Validates `frame` against one compiled event schema by name, e.g.
    /// `RealtimeClientEventTranscriptionSessionUpdate`. `None` when no such schema was compiled.
    pub fn validate_schema(
        &self,
        schema_name: &str,
        frame: &Value,
    ) -> Option<Result<(), Vec<SchemaViolation>>> {
        let event = self.events.iter().find(|e| e.schema.name == schema_name)?;
        let violations = collect(&event.validator, frame);
        Some(if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        })
    }

    /// Every GA, legacy and beta event schema that `frame` satisfies, in the order of
    /// [`SchemaOracle::event_schemas`].
    pub fn matching_schemas(&self, frame: &Value) -> Vec<&EventSchema> {
        self.events
            .iter()
            .filter(|e| e.validator.is_valid(frame))
            .map(|e| &e.schema)
            .collect()
    }
}

/// The schema names the GA union `union` lists as its branches.
fn union_members(schemas: &Map<String, Value>, union: &str) -> Vec<String> {
    let Some(union) = schemas.get(union) else {
        return Vec::new();
    };
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| union.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|branch| branch.get("$ref").and_then(Value::as_str))
        .filter_map(component_name)
        .collect()
}

/// The single value an event schema's `type` member is pinned to.
fn pinned_type(schema: &Value) -> Option<String> {
    let member = schema.get("properties")?.get("type")?;
    if let Some(value) = member.get("const").and_then(Value::as_str) {
        return Some(value.to_owned());
    }
    match member.get("enum")?.as_array()?.as_slice() {
        [Value::String(value)] => Some(value.clone()),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn collect(validator: &Validator, frame: &Value) -> Vec<SchemaViolation> {
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
