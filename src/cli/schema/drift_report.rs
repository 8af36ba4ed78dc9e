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
    // Enum values one side lacks, with why the other side does not take them.
    let values = |list: &[(String, String, bool)], rejects: &str, unlisted: &str| {
        list.iter()
            .map(|(p, v, rejected)| {
                let how = if *rejected { rejects } else { unlisted };
                format!("{p}: {v} ({how})")
            })
            .collect()
    };
    let sections: [(&str, Vec<String>); 7] = [
        (
            "schema members the model lacks",
            drift.schema_only_members.clone(),
        ),
        (
            "model members the schema lacks",
            drift.model_only_members.clone(),
        ),
        (
            "members of shared types only the other direction's schema names",
            drift.other_direction_members.clone(),
        ),
        (
            "schema enum values the model lacks",
            values(
                &drift.schema_only_values,
                "the model rejects it",
                "not among the model's known values",
            ),
        ),
        (
            "model enum values the schema lacks",
            values(
                &drift.model_only_values,
                "the schema rejects it",
                "not among the schema's listed values",
            ),
        ),
        (
            "null accepted by the schema, read as absent by the model",
            drift.nullable_in_schema_only.clone(),
        ),
        (
            "null kept by the model, rejected by the schema",
            drift.nullable_in_model_only.clone(),
        ),
    ];
    for (title, lines) in sections {
        section(out, title, lines)?;
    }
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
