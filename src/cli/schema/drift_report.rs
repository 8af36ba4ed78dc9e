//! The drift part of `schema`'s report, for people and for machines.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::events::Family;
use crate::schema::drift::Drift;

/// The drift of one family, one section per kind of difference.
pub(super) fn drift_report(out: &mut dyn Write, drift: &Drift, family: Family) -> io::Result<()> {
    writeln!(
        out,
        "\ndrift between the schema and the model ({} GA events, union branches merged):",
        family.as_str()
    )?;
    let section = |out: &mut dyn Write, title: &str, lines: Vec<String>| -> io::Result<()> {
        if lines.is_empty() {
            writeln!(out, "  {title}: none")
        } else {
            writeln!(out, "  {title} ({}):", lines.len())?;
            for line in lines {
                writeln!(out, "    {line}")?;
            }
            Ok(())
        }
    };
    section(
        out,
        "schema members the model lacks",
        drift.schema_only_members.clone(),
    )?;
    section(
        out,
        "model members the schema lacks",
        drift.model_only_members.clone(),
    )?;
    section(
        out,
        "members of shared types only the other direction's schema names",
        drift.other_direction_members.clone(),
    )?;
    section(
        out,
        "schema enum values the model lacks",
        drift
            .schema_only_values
            .iter()
            .map(|(p, v, rejected)| {
                let how = if *rejected {
                    "the model rejects it"
                } else {
                    "not among the model's known values"
                };
                format!("{p}: {v} ({how})")
            })
            .collect(),
    )?;
    section(
        out,
        "model enum values the schema lacks",
        drift
            .model_only_values
            .iter()
            .map(|(p, v, rejected)| {
                let how = if *rejected {
                    "the schema rejects it"
                } else {
                    "not among the schema's listed values"
                };
                format!("{p}: {v} ({how})")
            })
            .collect(),
    )?;
    section(
        out,
        "null accepted by the schema, read as absent by the model",
        drift.nullable_in_schema_only.clone(),
    )?;
    section(
        out,
        "null kept by the model, rejected by the schema",
        drift.nullable_in_model_only.clone(),
    )?;
    for event in &drift.not_compared {
        writeln!(
            out,
            "  not compared: {event} (not a GA event; the model keeps it whole as an unknown event)"
        )?;
    }
    writeln!(out)
}

/// The drift of one family as one JSON object.
pub(super) fn drift_json(drift: &Drift) -> Value {
    let values = |list: &[(String, String, bool)], key: &str| -> Vec<Value> {
        list.iter()
            .map(|(p, v, r)| json!({"path": p, "value": v, key: r}))
            .collect()
    };
    json!({
        "schema_only_members": drift.schema_only_members,
        "model_only_members": drift.model_only_members,
        "other_direction_members": drift.other_direction_members,
        "schema_only_values": values(&drift.schema_only_values, "model_rejects"),
        "model_only_values": values(&drift.model_only_values, "schema_rejects"),
        "nullable_in_schema_only": drift.nullable_in_schema_only,
        "nullable_in_model_only": drift.nullable_in_model_only,
        "not_compared": drift.not_compared,
    })
}
