//! Compiled JSON Schema validators for the events of one family (client or server) of the
//! (fixed) OpenAPI document.

use std::fmt;
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};

use super::defects::FixedSchemas;
use super::refine::{collect, SchemaViolation};
use super::walk::{component_name, SCHEMA_REF_PREFIX};
use super::{DefectFix, SpecDocument, SpecError, SpecProblem};
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
