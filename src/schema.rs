//! JSON Schemas of perfcard's JSON outputs, generated from the types that
//! are serialised (so they cannot drift: `tests/schema.rs` validates every
//! output of the examples against them and holds the committed copies in
//! docs/schema/ equal to these). `perfcard schema report|check|diff`
//! prints them.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

use crate::render::diagnostics::JsonDiagnostic;
use crate::report::Report;

/// The outputs that have a schema.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Output {
    /// `perfcard report --format json`
    Report,
    /// `perfcard check --format json`
    Check,
    /// `perfcard diff --format json`
    Diff,
}

impl Output {
    pub const ALL: [Output; 3] = [Output::Report, Output::Check, Output::Diff];

    /// The file name under docs/schema/.
    pub fn file_name(self) -> &'static str {
        match self {
            Output::Report => "report.json",
            Output::Check => "check.json",
            Output::Diff => "diff.json",
        }
    }
}

fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    close_objects(&mut schema);
    // `$schema`, `title` and `description` first, as a reader expects.
    let mut ordered = serde_json::Map::new();
    if let Value::Object(map) = &mut schema {
        if let Some(dialect) = map.remove("$schema") {
            ordered.insert("$schema".into(), dialect);
        }
        ordered.insert("title".into(), title.into());
        ordered.insert("description".into(), description.into());
        map.remove("title");
        map.remove("description");
        ordered.extend(std::mem::take(map));
    }
    Value::Object(ordered)
}

/// Every object with listed properties accepts no others: a field the
/// output gains without the schema knowing of it fails validation.
fn close_objects(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for child in map.values_mut() {
                close_objects(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// The schema of one output.
pub fn schema(output: Output) -> Value {
    match output {
        Output::Report => generate::<Report>(
            "perfcard report",
            "The output of `perfcard report --format json`: every measure and key action rated at one period (docs/reading-a-report.md).",
        ),
        Output::Check => generate::<Vec<JsonDiagnostic<'static>>>(
            "perfcard check",
            "The output of `perfcard check --format json`: one object per diagnostic; lines and columns count from 1, columns in characters (docs/diagnostics.md).",
        ),
        Output::Diff => generate::<crate::render::diff::Json<'static>>(
            "perfcard diff",
            "The output of `perfcard diff --format json`: the changes in meaning between two versions and the ratings that change (docs/review.md).",
        ),
    }
}

/// The schema as perfcard prints it and docs/schema/ holds it.
pub fn text(output: Output) -> String {
    let mut out = serde_json::to_string_pretty(&schema(output)).unwrap_or_default();
    out.push('\n');
    out
}
