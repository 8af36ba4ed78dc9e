//! The agreement check of a family's entry points: the owned parse, the
//! zero-copy parse and their writers all give what the serde path gives.
//! One implementation for both families (`client_ref::check_agreement`,
//! `server_ref::check_agreement`).

use std::fmt::Debug;

use serde::Serialize;

use crate::error::ParseError;

/// A family's entry points, as [`check_agreement`] compares them.
pub(crate) trait EntryPoints: Sized + PartialEq + Debug + Serialize {
    /// The zero-copy view.
    type Ref<'a>: Debug + Serialize;
    /// The owned type's name, for the messages.
    const NAME: &'static str;
    /// The zero-copy type's name, for the messages.
    const REF_NAME: &'static str;
    /// The serde path: the definition the others agree with.
    fn serde_path(bytes: &[u8]) -> Result<Self, ParseError>;
    /// The owned parse.
    fn owned(bytes: &[u8]) -> Result<Self, ParseError>;
    /// The zero-copy parse.
    fn borrowed(bytes: &[u8]) -> Result<Self::Ref<'_>, ParseError>;
    /// The zero-copy view's owned copy.
    fn ref_to_owned(event: &Self::Ref<'_>) -> Self;
    /// The owned writer.
    fn write(&self) -> Vec<u8>;
    /// The zero-copy writer.
    fn ref_write(event: &Self::Ref<'_>) -> Vec<u8>;
}

/// Parses `bytes` with every entry point of the family `E` and checks each
/// agrees with the serde path: the owned and the zero-copy parse give the
/// same event or the same error, and when the frame parses, both writers
/// and the zero-copy view's `Serialize` write serde_json's bytes. The error
/// describes the first disagreement.
pub(crate) fn check_agreement<E: EntryPoints>(bytes: &[u8]) -> Result<(), String> {
    let (name, ref_name) = (E::NAME, E::REF_NAME);
    let reference = E::serde_path(bytes);
    let owned = E::owned(bytes);
    if owned != reference {
        return Err(format!(
            "{name}::from_slice gave {owned:?}, the serde path {reference:?}"
        ));
    }
    let borrowed = E::borrowed(bytes);
    let zero_copy = borrowed.as_ref().map(E::ref_to_owned).map_err(Clone::clone);
    if zero_copy != reference {
        return Err(format!(
            "{ref_name}::from_slice gave {borrowed:?}, the serde path {reference:?}"
        ));
    }
    if let (Ok(event), Ok(event_ref)) = (&reference, &borrowed) {
        let expected = serde_json::to_vec(event).map_err(|e| e.to_string())?;
        if event.write() != expected {
            return Err(format!(
                "{name}::to_vec differs from serde_json for {event:?}"
            ));
        }
        if E::ref_write(event_ref) != expected {
            return Err(format!(
                "{ref_name}::to_vec differs from serde_json for {event:?}"
            ));
        }
        let via_serde = serde_json::to_vec(event_ref).map_err(|e| e.to_string())?;
        if via_serde != expected {
            return Err(format!(
                "{ref_name}'s Serialize differs from {name}'s for {event:?}"
            ));
        }
    }
    Ok(())
}

/// Implements [`EntryPoints`] for a family and its zero-copy view.
macro_rules! entry_points {
    ($owned:ident, $borrowed:ident) => {
        impl $crate::events::agreement::EntryPoints for $owned {
            type Ref<'a> = $borrowed<'a>;
            const NAME: &'static str = stringify!($owned);
            const REF_NAME: &'static str = stringify!($borrowed);
            fn serde_path(bytes: &[u8]) -> Result<Self, $crate::error::ParseError> {
                $owned::from_slice_serde(bytes)
            }
            fn owned(bytes: &[u8]) -> Result<Self, $crate::error::ParseError> {
                $owned::from_slice(bytes)
            }
            fn borrowed(bytes: &[u8]) -> Result<$borrowed<'_>, $crate::error::ParseError> {
                $borrowed::from_slice(bytes)
            }
            fn ref_to_owned(event: &$borrowed<'_>) -> Self {
                $borrowed::to_owned(event)
            }
            fn write(&self) -> Vec<u8> {
                $owned::to_vec(self)
            }
            fn ref_write(event: &$borrowed<'_>) -> Vec<u8> {
                $borrowed::to_vec(event)
            }
        }
    };
}
pub(crate) use entry_points;
