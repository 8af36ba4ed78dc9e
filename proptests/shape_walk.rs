//! Walks a frame alongside the model's own description of the wire format
//! (`realtime_harness::shape`), to find the objects the model reads member
//! by member and what it declares about each member (required, nullable).
//! Free-form JSON (`parameters`, unknown members) is not walked into.

use std::sync::OnceLock;

use realtime_harness::pointer::child;
use realtime_harness::shape::{self, MemberShape, ObjectShape, Shape};
use serde_json::Value;

/// The shape of a whole client event, computed once.
pub fn client_event_shape() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(shape::client_event)
}

/// The shape of a whole server event, computed once.
pub fn server_event_shape() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(realtime_harness::events::server_event)
}

/// An object of a frame and the model's description of it.
#[derive(Clone, Debug)]
pub struct ModelObject {
    /// JSON pointer of the object in the frame.
    pub pointer: String,
    /// Its members as the model declares them (without union tags).
    pub shape: &'static ObjectShape,
    /// The tag members of the unions that chose this object's shape
    /// (`type`, and `role` for messages).
    pub tags: Vec<&'static str>,
}

impl ModelObject {
    /// The declared member called `name`.
    pub fn member(&self, name: &str) -> Option<&'static MemberShape> {
        self.shape.members.iter().find(|m| m.name == name)
    }

    /// Whether `name` is a member the model knows here (a tag or declared).
    pub fn knows(&self, name: &str) -> bool {
        self.tags.contains(&name) || self.member(name).is_some()
    }
}

/// Every object of `frame` (a client event) that the model reads member by
/// member, outermost first.
pub fn model_objects(frame: &Value) -> Vec<ModelObject> {
    model_objects_of(frame, client_event_shape())
}

/// Every object of `frame`, a frame of the family whose shape is `root`,
/// that the model reads member by member, outermost first.
pub fn model_objects_of(frame: &Value, root: &'static Shape) -> Vec<ModelObject> {
    let mut out = Vec::new();
    walk(frame, root, "", &mut Vec::new(), &mut out);
    out
}

fn walk(
    value: &Value,
    shape: &'static Shape,
    pointer: &str,
    tags: &mut Vec<&'static str>,
    out: &mut Vec<ModelObject>,
) {
    match (shape, value) {
        (Shape::Object(object), Value::Object(members)) => {
            out.push(ModelObject {
                pointer: pointer.to_owned(),
                shape: object,
                tags: tags.clone(),
            });
            for member in &object.members {
                if let Some(v) = members.get(member.name) {
                    walk(
                        v,
                        &member.shape,
                        &child(pointer, member.name),
                        &mut Vec::new(),
                        out,
                    );
                }
            }
        }
        (Shape::Union(union), Value::Object(members)) => {
            let tag = match members.get(union.tag) {
                Some(Value::String(tag)) => Some(tag.as_str()),
                Some(_) => None,
                None => union.absent,
            };
            let variant = tag.and_then(|tag| union.variants.iter().find(|(v, _)| *v == tag));
            if let Some((_, variant)) = variant {
                tags.push(union.tag);
                walk(value, variant, pointer, tags, out);
                tags.pop();
            }
        }
        (Shape::OneOf(shapes), _) => {
            if let Some(chosen) = shapes.iter().find(|s| takes_json_type_of(s, value)) {
                walk(value, chosen, pointer, tags, out);
            }
        }
        (Shape::Array(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                walk(
                    item,
                    inner,
                    &child(pointer, &i.to_string()),
                    &mut Vec::new(),
                    out,
                );
            }
        }
        (Shape::Map(inner), Value::Object(members)) => {
            for (name, v) in members {
                walk(v, inner, &child(pointer, name), &mut Vec::new(), out);
            }
        }
        _ => {}
    }
}

/// Whether `shape` is the branch of a `OneOf` that a value of this JSON type
/// goes to.
fn takes_json_type_of(shape: &Shape, value: &Value) -> bool {
    match shape {
        Shape::Object(_) | Shape::Union(_) | Shape::Map(_) | Shape::AnyObject => value.is_object(),
        Shape::Enum(_) | Shape::OpenString(_) | Shape::String | Shape::Base64 => value.is_string(),
        Shape::Integer | Shape::Number => value.is_number(),
        Shape::Bool => value.is_boolean(),
        Shape::Array(_) => value.is_array(),
        Shape::OneOf(shapes) => shapes.iter().any(|s| takes_json_type_of(s, value)),
    }
}
