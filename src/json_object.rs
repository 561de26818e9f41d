//! Objects stay objects: the one rule that a JSON value read into a struct (or an internally
//! tagged enum) must be a JSON object.
//!
//! serde's derived `Deserialize` for a struct also accepts a JSON array and reads it
//! positionally, so `{"fees": [["upfront", "100.00"]]}` would be taken as a fee, and
//! `["10000.00", "0.072", 12, "equal-installment"]` as a schedule request (issue 12, fault 8).
//! Every wire struct therefore derives with `#[serde(remote = "Self")]`, which turns the
//! derived code into an inherent `Type::deserialize`, and `objects_only!` supplies the trait
//! impl: it asks the deserializer for a map (`deserialize_map`), so a sequence is refused with
//! `invalid type: sequence, expected a JSON object` at the array's own JSON path (code
//! `invalid-request` through [`crate::error::from_json_request`]), and hands the map to the
//! derived code unchanged. The derived `visit_seq` is then never instantiated.
//!
//! Types that derive `Serialize` as well get their trait impl back from `serialize_derived!`
//! (the `remote` attribute applies to both derives).

use serde::de::{MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A type read only from a JSON object: implemented by `objects_only!`.
pub trait FromObject<'de>: Sized {
    /// Reads the value from the members of an object (the derived code).
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Accepts a map and nothing else.
pub struct ObjectVisitor<T>(PhantomData<T>);

impl<T> ObjectVisitor<T> {
    /// A visitor for `T`.
    pub const fn new() -> Self {
        ObjectVisitor(PhantomData)
    }
}

impl<T> Default for ObjectVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: FromObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Builds the map-only `Deserialize` impl of each listed type, whose derive carries
/// `#[serde(remote = "Self")]` (see the module docs).
#[cfg(feature = "full")]
macro_rules! objects_only {
    ($($ty:ty),+ $(,)?) => {$(
        impl<'de> $crate::json_object::FromObject<'de> for $ty {
            fn from_map<A: ::serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                <$ty>::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map($crate::json_object::ObjectVisitor::<$ty>::new())
            }
        }
    )+};
}
#[cfg(feature = "full")]
pub(crate) use objects_only;

/// Restores the `Serialize` impl of types derived with `#[serde(remote = "Self")]`.
macro_rules! serialize_derived {
    ($($ty:ty),+ $(,)?) => {$(
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, serializer)
            }
        }
    )+};
}
pub(crate) use serialize_derived;
