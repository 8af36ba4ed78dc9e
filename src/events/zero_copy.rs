//! The zero-copy view of a family: `event_ref!` declares, from the member
//! list of the one event whose audio it borrows, the enum (that event with
//! borrowed members, and `Other` holding any other event in the owned
//! model), its parse, the conversions to and from the owned model, its
//! accessors, its writers and the agreement entry points. Both families'
//! views (`ClientEventRef`, `ServerEventRef`) are this one declaration.
//!
//! Member kinds, as the borrowed variant holds them:
//! - `str`: a string, borrowed unless it had escapes (`Cow<'a, str>`);
//! - `opt_str`: an optional string (`Option<Cow<'a, str>>`);
//! - `int`: an integer (`i64`);
//! - `audio`: the base64 audio ([`AudioRef`](crate::model::audio_ref::AudioRef)),
//!   named again after the table (`audio: name`).
//!
//! The scanner's frame has one field per member, of the same name; the
//! direct writer takes the members in table order, then the unknown ones.

/// The type a borrowed member of the given kind is held as.
macro_rules! ref_member_type {
    (str) => { ::std::borrow::Cow<'a, str> };
    (opt_str) => { ::core::option::Option<::std::borrow::Cow<'a, str>> };
    (int) => { i64 };
    (audio) => { $crate::model::audio_ref::AudioRef<'a> };
}

/// Conversions of one member between the scanner, the borrowed view and
/// the owned model, and its forms for the writers.
macro_rules! ref_member {
    // The scanner's field, as the view holds it.
    (scanned audio $value:expr) => {
        $crate::model::audio_ref::AudioRef::plain($value)
    };
    (scanned $kind:ident $value:expr) => {
        $value
    };
    // The view's member, in the owned model.
    (owned str $value:expr) => {
        $value.into_owned()
    };
    (owned opt_str $value:expr) => {
        $value.map(::std::borrow::Cow::into_owned)
    };
    (owned int $value:expr) => {
        $value
    };
    (owned audio $value:expr) => {
        $value.into_base64_audio()
    };
    // The owned model's member, in the view.
    (borrowed str $value:expr) => {
        ::std::borrow::Cow::Owned($value)
    };
    (borrowed opt_str $value:expr) => {
        $value.map(::std::borrow::Cow::Owned)
    };
    (borrowed int $value:expr) => {
        $value
    };
    (borrowed audio $value:expr) => {
        $crate::model::audio_ref::AudioRef::owned($value.into_string())
    };
    // The member (of the view or of the owned model, by reference) as the
    // direct writer takes it.
    (arg str $value:expr) => {
        &**$value
    };
    (arg opt_str $value:expr) => {
        $value.as_deref()
    };
    (arg int $value:expr) => {
        *$value
    };
    (arg audio $value:expr) => {
        $value.as_bytes()
    };
    // The `event_id` accessor's answer.
    (id str $value:expr) => {
        Some(::std::borrow::Cow::Borrowed(&**$value))
    };
    (id opt_str $value:expr) => {
        $value.as_deref().map(::std::borrow::Cow::Borrowed)
    };
    // Writes the member as serde writes the owned event's.
    (write opt_str $map:ident, $name:expr, $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($name, value)?;
        }
    };
    (write audio $map:ident, $name:expr, $value:expr) => {
        $map.serialize_entry($name, $value.as_str())?;
    };
    (write $kind:ident $map:ident, $name:expr, $value:expr) => {
        $map.serialize_entry($name, $value)?;
    };
}

/// Declares a family's zero-copy view; see the module docs.
macro_rules! event_ref {
    (
        $(#[$attr:meta])*
        pub enum $name:ident of $owned:ident / $types:ident, $family:literal {
            $(#[$vattr:meta])*
            $variant:ident {
                $(#[$idattr:meta])* $id_kind:ident event_id,
                $( $(#[$fattr:meta])* $kind:ident $field:ident ),+ $(,)?
            }
            $(#[$oattr:meta])*
            Other
        }
        audio: $audio:ident, scan: $scan:path, write: $write:path, owned_frame: $owned_frame:ident
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name<'a> {
            $(#[$vattr])*
            $variant {
                $(#[$idattr])*
                event_id: ref_member_type!($id_kind),
                $( $(#[$fattr])* $field: ref_member_type!($kind), )*
                /// Members the spec does not name, re-emitted as received.
                extra: $crate::wire::ExtraMembers,
            },
            $(#[$oattr])*
            Other($owned),
        }

        impl<'a> $name<'a> {
            #[doc = concat!("Parses one frame, borrowing the audio of `", stringify!($variant), "` frames from `bytes`.")]
            #[doc = concat!("Accepts and rejects exactly what [`", stringify!($owned), "::from_slice`] does,")]
            /// with the same errors.
            pub fn from_slice(bytes: &'a [u8]) -> Result<Self, $crate::error::ParseError> {
                if let Some(frame) = $scan(bytes, None) {
                    return Ok($name::$variant {
                        event_id: ref_member!(scanned $id_kind frame.event_id),
                        $( $field: ref_member!(scanned $kind frame.$field), )*
                        extra: $crate::wire::ExtraMembers::new(),
                    });
                }
                $owned::from_slice_serde(bytes).map($name::from)
            }

            /// An owned copy in the model.
            pub fn to_owned(&self) -> $owned {
                self.clone().into_owned()
            }

            /// The owned event, copying only what is borrowed.
            pub fn into_owned(self) -> $owned {
                match self {
                    $name::$variant { event_id, $( $field, )* extra } => $owned::$variant {
                        event_id: ref_member!(owned $id_kind event_id),
                        $( $field: ref_member!(owned $kind $field), )*
                        extra,
                    },
                    $name::Other(event) => event,
                }
            }

            #[doc = concat!("The GA event type, or `None` for [`", stringify!($owned), "::Unknown`].")]
            pub fn to_event_type(&self) -> Option<$types> {
                match self {
                    $name::$variant { .. } => Some($types::$variant),
                    $name::Other(event) => event.to_event_type(),
                }
            }

            #[doc = concat!("The event type string; `\"unknown\"` for [`", stringify!($owned), "::Unknown`] (see")]
            #[doc = concat!("[`", stringify!($owned), "::event_type`]).")]
            pub fn event_type(&self) -> &str {
                match self {
                    $name::$variant { .. } => $types::$variant.as_str(),
                    $name::Other(event) => event.event_type(),
                }
            }

            /// The `type` the frame carries on the wire.
            pub fn wire_type(&self) -> &str {
                match self {
                    $name::$variant { .. } => $types::$variant.as_str(),
                    $name::Other(event) => event.wire_type(),
                }
            }

            /// The `event_id`, if the event has one (borrowed unless it
            /// had escapes, as the owned event's).
            pub fn event_id(&self) -> Option<::std::borrow::Cow<'_, str>> {
                match self {
                    $name::$variant { event_id, .. } => ref_member!(id $id_kind event_id),
                    $name::Other(event) => event.event_id(),
                }
            }

            #[doc = concat!("The audio of a `", stringify!($variant), "`; decode it with")]
            /// [`AudioRef::decode`](crate::model::audio_ref::AudioRef::decode).
            pub fn audio(&self) -> Option<&$crate::model::audio_ref::AudioRef<'a>> {
                match self {
                    $name::$variant { $audio, .. } => Some($audio),
                    $name::Other(_) => None,
                }
            }

            /// Serializes the frame to JSON bytes, the same bytes
            #[doc = concat!("[`", stringify!($owned), "::to_vec`] writes for [`", stringify!($name), "::to_owned`].")]
            pub fn to_vec(&self) -> Vec<u8> {
                match self {
                    $name::$variant { event_id, $( $field, )* extra } => $write(
                        ref_member!(arg $id_kind event_id),
                        $( ref_member!(arg $kind $field), )*
                        extra,
                    )
                    .unwrap_or_else(|| {
                        serde_json::to_vec(self).expect(concat!($family, " events always serialize"))
                    }),
                    $name::Other(event) => event.to_vec(),
                }
            }
        }

        #[doc = concat!("[`", stringify!($owned), "::to_vec`]'s bytes for a `", stringify!($variant), "`, written directly")]
        #[doc = concat!("when [`", stringify!($write), "`] can; `None` for any other event.")]
        pub(crate) fn $owned_frame(event: &$owned) -> Option<Vec<u8>> {
            match event {
                $owned::$variant { event_id, $( $field, )* extra } => $write(
                    ref_member!(arg $id_kind event_id),
                    $( ref_member!(arg $kind $field), )*
                    extra,
                ),
                _ => None,
            }
        }

        impl From<$owned> for $name<'_> {
            fn from(event: $owned) -> Self {
                match event {
                    $owned::$variant { event_id, $( $field, )* extra } => $name::$variant {
                        event_id: ref_member!(borrowed $id_kind event_id),
                        $( $field: ref_member!(borrowed $kind $field), )*
                        extra,
                    },
                    other => $name::Other(other),
                }
            }
        }

        impl ::serde::Serialize for $name<'_> {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                match self {
                    $name::$variant { event_id, $( $field, )* extra } => {
                        // The member order of the owned event's serialization.
                        let mut map = serializer.serialize_map(None)?;
                        map.serialize_entry("type", $types::$variant.as_str())?;
                        ref_member!(write $id_kind map, "event_id", event_id);
                        $( ref_member!(write $kind map, stringify!($field), $field); )*
                        for (k, v) in extra.iter() {
                            map.serialize_entry(&*k, v)?;
                        }
                        map.end()
                    }
                    $name::Other(event) => event.serialize(serializer),
                }
            }
        }

        $crate::events::agreement::entry_points!($owned, $name);
    };
}
