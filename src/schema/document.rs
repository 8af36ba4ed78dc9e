//! Reading OpenAI's OpenAPI document (JSON or YAML) and the parts of it the oracle uses.

use std::path::Path;

use serde_json::{Map, Value};

use super::{one_line, SpecError, SpecProblem};

/// An OpenAPI document holding the Realtime schemas under `components.schemas`.
///
/// The structure-only extract the crate embeds ([`SpecDocument::embedded`]), or a whole
/// `openapi.json`/`openapi.yaml` from the openai/openai-openapi repository: only
/// `components.schemas` (and `openapi`, and an extract's header) is read, so the rest (paths,
/// other APIs) is carried along unused.
#[derive(Debug, Clone)]
pub struct SpecDocument {
    source: String,
    root: Value,
}

/// How the embedded extract is named in messages and reports.
const EMBEDDED_LABEL: &str = "spec/realtime.schema.json (embedded)";

#[derive(Clone, Copy)]
enum Syntax {
    Json,
    Yaml,
}

impl SpecDocument {
    /// Every schema reachable through `$ref`s from the schemas whose names
    /// `root` accepts, by name, each as `keep` makes it.
    ///
    /// # Errors
    ///
    /// When a `$ref` names a schema the document lacks.
    pub(crate) fn reachable(
        &self,
        root: impl Fn(&str) -> bool,
        keep: impl Fn(&Value) -> Value,
    ) -> Result<Map<String, Value>, SpecError> {
        let all = self.schemas();
        let mut pending: Vec<String> = all.keys().filter(|name| root(name)).cloned().collect();
        let mut reached = std::collections::BTreeMap::new();
        while let Some(name) = pending.pop() {
            if reached.contains_key(&name) {
                continue;
            }
            let schema = all.get(&name).ok_or_else(|| {
                SpecError::new(
                    self.source(),
                    SpecProblem::MissingSchema(format!(
                        "a `$ref` names `{}{name}`, which the document lacks",
                        super::walk::SCHEMA_REF_PREFIX
                    )),
                )
            })?;
            super::walk::referenced_names(schema, &mut pending);
            reached.insert(name, keep(schema));
        }
        Ok(reached.into_iter().collect())
    }

    /// The extract embedded in the crate (`spec/realtime.schema.json`): the schemas of
    /// openai/openai-openapi at the commit its header records, without the prose.
    pub fn embedded() -> Self {
        // The tests parse the same text, so this cannot fail in a released crate.
        Self::from_json_str(crate::spec_files::EMBEDDED_SPEC, EMBEDDED_LABEL)
            .unwrap_or_else(|e| panic!("the embedded schema extract is broken: {e}"))
    }

    /// The document every reader uses unless told otherwise: the one
    /// `$REALTIME_HARNESS_SPEC` names when it is set, else [`SpecDocument::embedded`].
    ///
    /// # Errors
    ///
    /// As [`SpecDocument::load`], for the document the variable names.
    pub fn load_default() -> Result<Self, SpecError> {
        match crate::spec_files::spec_override() {
            Some(path) => Self::load(&path),
            None => Ok(Self::embedded()),
        }
    }

    /// Whether this is the embedded extract rather than a file.
    pub fn is_embedded(&self) -> bool {
        self.source == EMBEDDED_LABEL
    }

    /// Reads the document at `path`: JSON for `.json`, YAML for `.yaml`/`.yml`, and for any
    /// other name JSON first, then YAML.
    ///
    /// # Errors
    ///
    /// A [`SpecError`] naming the file when it cannot be read, does not parse, or has no
    /// `components.schemas` object.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let source = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| SpecError::new(&source, SpecProblem::Unreadable(e.to_string())))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            SpecError::new(
                &source,
                SpecProblem::Syntax(format!("not UTF-8 text ({e})")),
            )
        })?;
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let root = match extension.as_deref() {
            Some("json") => parse(&text, Syntax::Json),
            Some("yaml" | "yml") => parse(&text, Syntax::Yaml),
            _ => parse(&text, Syntax::Json).or_else(|json_error| {
                parse(&text, Syntax::Yaml)
                    .map_err(|yaml_error| format!("as JSON: {json_error}; as YAML: {yaml_error}"))
            }),
        }
        .map_err(|why| SpecError::new(&source, SpecProblem::Syntax(why)))?;
        Self::from_value(root, source)
    }

    /// Parses a JSON document held in memory; `source` labels it in errors.
    ///
    /// # Errors
    ///
    /// As [`SpecDocument::load`], less the reading.
    pub fn from_json_str(text: &str, source: impl Into<String>) -> Result<Self, SpecError> {
        let source = source.into();
        let root = parse(text, Syntax::Json)
            .map_err(|why| SpecError::new(&source, SpecProblem::Syntax(why)))?;
        Self::from_value(root, source)
    }

    /// Parses a YAML document held in memory; `source` labels it in errors.
    ///
    /// # Errors
    ///
    /// As [`SpecDocument::load`], less the reading.
    pub fn from_yaml_str(text: &str, source: impl Into<String>) -> Result<Self, SpecError> {
        let source = source.into();
        let root = parse(text, Syntax::Yaml)
            .map_err(|why| SpecError::new(&source, SpecProblem::Syntax(why)))?;
        Self::from_value(root, source)
    }

    /// Takes an already parsed document; `source` labels it in errors.
    ///
    /// # Errors
    ///
    /// When the document, its `components` or its `components.schemas` is not an object.
    pub fn from_value(root: Value, source: impl Into<String>) -> Result<Self, SpecError> {
        let source = source.into();
        let error = |problem| Err(SpecError::new(&source, problem));
        let Value::Object(object) = &root else {
            return error(SpecProblem::NotAnObject("the document"));
        };
        match object.get("components") {
            None => return error(SpecProblem::MissingComponents),
            Some(Value::Object(components)) => match components.get("schemas") {
                None => return error(SpecProblem::MissingComponents),
                Some(Value::Object(_)) => {}
                Some(_) => return error(SpecProblem::NotAnObject("`components.schemas`")),
            },
            Some(_) => return error(SpecProblem::NotAnObject("`components`")),
        }
        Ok(Self { source, root })
    }

    /// The path the document was read from, or the label it was given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The document's `openapi` version string (`3.1.0` for the current one), if any.
    pub fn openapi_version(&self) -> Option<&str> {
        self.root.get("openapi").and_then(Value::as_str)
    }

    /// The whole document as parsed.
    pub fn as_value(&self) -> &Value {
        &self.root
    }

    /// `components.schemas`: every schema by name, as the document has it (no fixes applied).
    pub fn schemas(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        // `from_value` checked the shape, so the fallback is never taken.
        self.root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// One schema of `components.schemas` by name, as the document has it.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.schemas().get(name)
    }

    /// The documentation's example frames for an event schema: its `x-oaiMeta.example` text,
    /// parsed leniently, because the document's examples are not all JSON (`//` comments,
    /// trailing commas, two frames in one example, as in `RealtimeClientEventResponseCreate`).
    /// Empty when the schema has no example.
    ///
    /// # Errors
    ///
    /// When the schema is absent, or its example does not parse even leniently.
    pub fn examples(&self, schema_name: &str) -> Result<Vec<Value>, SpecError> {
        let schema = self.schema(schema_name).ok_or_else(|| {
            SpecError::new(
                &self.source,
                SpecProblem::MissingSchema(format!("no schema `{schema_name}`")),
            )
        })?;
        let Some(text) = schema
            .get("x-oaiMeta")
            .and_then(|meta| meta.get("example"))
            .and_then(Value::as_str)
        else {
            return Ok(Vec::new());
        };
        parse_lenient_frames(text).map_err(|why| {
            SpecError::new(
                &self.source,
                SpecProblem::Syntax(format!(
                    "`{schema_name}` x-oaiMeta.example does not parse: {why}"
                )),
            )
        })
    }
}

fn parse(text: &str, syntax: Syntax) -> Result<Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match syntax {
        Syntax::Json => serde_json::from_str(text).map_err(|e| one_line(&e.to_string())),
        Syntax::Yaml => {
            let yaml: serde_yaml_ng::Value =
                serde_yaml_ng::from_str(text).map_err(|e| one_line(&e.to_string()))?;
            yaml_to_json(yaml, "")
        }
    }
}

/// YAML is converted by hand rather than deserialized straight into JSON values, so that the
/// non-string keys YAML allows (`200:` under `responses`) become strings instead of failing.
fn yaml_to_json(yaml: serde_yaml_ng::Value, pointer: &str) -> Result<Value, String> {
    use serde_yaml_ng::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("at {pointer:?}: {f} has no JSON form"))?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Null => "null".to_owned(),
                    _ => return Err(format!("at {pointer:?}: a mapping key is not a scalar")),
                };
                let child = format!("{pointer}/{}", crate::pointer::escape(&key));
                object.insert(key, yaml_to_json(value, &child)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Parses documentation example text: drops `//` line comments and trailing commas (outside
/// strings), then reads every JSON value in sequence.
fn parse_lenient_frames(text: &str) -> Result<Vec<Value>, String> {
    let cleaned = drop_trailing_commas(&drop_line_comments(text));
    serde_json::Deserializer::from_str(&cleaned)
        .into_iter::<Value>()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| one_line(&e.to_string()))
}

fn drop_line_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_string, mut escaped) = (false, false);
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            for skipped in chars.by_ref() {
                if skipped == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn drop_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|n| !n.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_example_parsing_handles_the_documents_habits() {
        let text = "// first\n{\n  \"type\": \"a\",\n}\n\n// second\n{\"type\": \"b // not a comment\", \"l\": [1, 2,],}\n";
        let frames = parse_lenient_frames(text).unwrap();
        assert_eq!(
            frames,
            vec![
                serde_json::json!({"type": "a"}),
                serde_json::json!({"type": "b // not a comment", "l": [1, 2]}),
            ]
        );
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let doc = SpecDocument::from_yaml_str(
            "components:\n  schemas:\n    A: {type: string}\npaths:\n  /x:\n    get:\n      responses:\n        200: {description: ok}\n",
            "inline.yaml",
        )
        .unwrap();
        assert!(doc.as_value()["paths"]["/x"]["get"]["responses"]["200"].is_object());
        assert_eq!(doc.schema("A").unwrap()["type"], "string");
    }
}
