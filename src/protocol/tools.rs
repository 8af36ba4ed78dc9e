//! Function calling: which function a response calls (from `tool_choice`
//! and the user's words), and arguments generated to be valid against the
//! function's `parameters` JSON Schema (`RealtimeFunctionTool.parameters`).

use serde_json::{Map, Value};

use crate::model::tool_choice::{ForcedTool, ToolChoice, ToolChoiceMode};
use crate::model::tools::{FunctionTool, RealtimeTool};

/// How deep the generator follows nested schemas; deeper ones get `null`
/// or an empty value, which keeps a hostile `parameters` from costing
/// more than a bounded walk.
const MAX_DEPTH: usize = 8;

/// The function a response calls, if any: the forced one, the first one
/// when `tool_choice` is `required`, or (under `auto`) the first whose name
/// the user's last words contain. A function call output as the last item
/// means the model answers the call instead of calling again (under `auto`).
pub fn choose<'a>(
    tools: &'a [RealtimeTool],
    choice: Option<&ToolChoice>,
    user_text: &str,
    after_call_output: bool,
) -> Option<&'a FunctionTool> {
    let functions = tools.iter().filter_map(|tool| match tool {
        RealtimeTool::Function(f) if f.name.as_deref().is_some_and(|n| !n.is_empty()) => Some(f),
        _ => None,
    });
    let named = |f: &&FunctionTool| {
        let name = f.name.as_deref().unwrap_or_default().to_ascii_lowercase();
        let text = user_text.to_ascii_lowercase();
        text.contains(&name) || text.contains(&name.replace('_', " "))
    };
    match choice {
        Some(ToolChoice::Mode(ToolChoiceMode::None)) => None,
        Some(ToolChoice::Forced(ForcedTool::Function(forced))) => functions
            .clone()
            .find(|f| f.name.as_deref() == Some(&forced.name)),
        Some(ToolChoice::Forced(ForcedTool::Mcp(_))) => None,
        Some(ToolChoice::Mode(ToolChoiceMode::Required)) => functions
            .clone()
            .find(named)
            .or_else(|| functions.clone().next()),
        Some(ToolChoice::Mode(ToolChoiceMode::Auto)) | None if !after_call_output => {
            functions.clone().find(named)
        }
        _ => None,
    }
}

/// Arguments for `tool`, as the JSON text of a function call.
pub fn arguments(tool: &FunctionTool, user_text: &str) -> String {
    let schema = tool
        .parameters
        .as_ref()
        .and_then(|p| p.to_map().ok())
        .map_or(Value::Object(Map::new()), Value::Object);
    let value = match generate(&schema, user_text, 0) {
        Value::Null if tool.parameters.is_none() => Value::Object(Map::new()),
        value => value,
    };
    value.to_string()
}

/// A value valid against `schema` (the JSON Schema subset function tools
/// use: `type`, `properties`, `required`, `items`, `enum`, `const`,
/// `minimum`/`maximum`, `minLength`, `minItems`, `anyOf`/`oneOf`).
pub fn generate(schema: &Value, user_text: &str, depth: usize) -> Value {
    let Some(schema) = schema.as_object() else {
        return Value::Null;
    };
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return generate(first, user_text, depth + 1);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // A list of types: the first that is not `null`.
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.contains_key("properties") => "object",
        _ if schema.contains_key("items") => "array",
        _ => "string",
    };
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    match kind {
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    object.insert(name.clone(), generate(property, user_text, depth + 1));
                }
            }
            Value::Object(object)
        }
        "array" => {
            let count = schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .min(16);
            let item = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(
                (0..count)
                    .map(|_| generate(&item, user_text, depth + 1))
                    .collect(),
            )
        }
        "integer" => {
            let n = bound("minimum").map_or(1.0, f64::ceil);
            let n = bound("maximum").map_or(n, |max| n.min(max.floor()));
            Value::from(n as i64)
        }
        "number" => {
            let n = bound("minimum").unwrap_or(1.0);
            let n = bound("maximum").map_or(n, |max| n.min(max));
            serde_json::Number::from_f64(n).map_or(Value::from(1), Value::Number)
        }
        "boolean" => Value::Bool(true),
        "null" => Value::Null,
        _ => {
            // The user's last word stands in for what a model would pull
            // out of the request (`Paris` in "weather in Paris").
            let word = user_text
                .split(|c: char| !c.is_alphanumeric())
                .rfind(|w| !w.is_empty())
                .unwrap_or("example");
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .map_or(usize::MAX, |m| m as usize);
            let mut text: String = word.chars().take(max).collect();
            while text.chars().count() < min.min(4096) {
                text.push('x');
            }
            Value::String(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str, parameters: Value) -> RealtimeTool {
        let Value::Object(parameters) = parameters else {
            unreachable!()
        };
        RealtimeTool::Function(FunctionTool::new(name, "", parameters))
    }

    #[test]
    fn arguments_follow_the_schema() {
        let RealtimeTool::Function(weather) = tool(
            "get_weather",
            json!({"type":"object","properties":{
                "city":{"type":"string"},
                "unit":{"type":"string","enum":["celsius","fahrenheit"]},
                "days":{"type":"integer","minimum":3,"maximum":7},
                "hourly":{"type":"boolean"},
                "tags":{"type":"array","items":{"type":"string"},"minItems":2}
            },"required":["city"]}),
        ) else {
            unreachable!()
        };
        let args: Value =
            serde_json::from_str(&arguments(&weather, "what's the weather in Paris")).unwrap();
        assert_eq!(
            args,
            json!({"city":"Paris","unit":"celsius","days":3,"hourly":true,"tags":["Paris","Paris"]})
        );
    }

    #[test]
    fn the_choice_follows_tool_choice_and_the_text() {
        let tools = [tool("get_weather", json!({})), tool("lookup", json!({}))];
        let name = |f: Option<&FunctionTool>| f.and_then(|f| f.name.clone());
        assert_eq!(
            name(choose(&tools, None, "get weather please", false)).as_deref(),
            Some("get_weather")
        );
        assert_eq!(name(choose(&tools, None, "hello", false)), None);
        assert_eq!(
            name(choose(&tools, None, "lookup", true)),
            None,
            "answers the output"
        );
        let required = ToolChoice::Mode(ToolChoiceMode::Required);
        assert_eq!(
            name(choose(&tools, Some(&required), "hello", false)).as_deref(),
            Some("get_weather")
        );
        let forced = ToolChoice::function("lookup");
        assert_eq!(
            name(choose(&tools, Some(&forced), "hello", false)).as_deref(),
            Some("lookup")
        );
        let none = ToolChoice::Mode(ToolChoiceMode::None);
        assert_eq!(name(choose(&tools, Some(&none), "lookup", false)), None);
    }
}
