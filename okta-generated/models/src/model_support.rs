//! Hand-written helpers that the generated models call: the generated code of this crate and of
//! the model crates that depend on it (`okta-generated-models-<n>`), hence public but hidden
//! (their macros are exported at this crate's root and named from here).

use std::fmt;

use serde::de::{DeserializeOwned, Error, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{ser, Deserialize, Deserializer, Serialize, Serializer};

/// Decode one variant of a polymorphic family (or one branch of a union) from the JSON value its
/// discriminator picked.
/// The error keeps the JSON path inside the variant (`settings.app.url: invalid type ...`), which
/// the outer decoder then prefixes with the path to the family value itself.
// Unused when the enabled categories reach no polymorphic family and no discriminated union.
#[allow(dead_code)]
pub fn decode_variant<T: DeserializeOwned, E: Error>(value: serde_json::Value) -> Result<T, E> {
    // serde_path_to_error allocates a string for every object key it passes (a list of 200,000
    // variants decoded twice as slowly as the variants alone): decode plainly first, and only a
    // value that fails again, tracking the path, to say where.
    if let Ok(decoded) = T::deserialize(&value) {
        return Ok(decoded);
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = crate::json_path::json_path(err.path());
        let inner = err.into_inner();
        if path == "." {
            E::custom(inner)
        } else {
            E::custom(format_args!("{path}: {inner}"))
        }
    })
}

/// Encode one variant of a polymorphic family (or one branch of a union), setting the
/// discriminator to the variant's own value when the caller left it unset, so
/// `UserFactor::Sms(SmsUserFactor { .. })` is sent with `"factorType": "sms"` without repeating
/// it. A discriminator the caller did set is kept.
// Unused when the enabled categories reach no polymorphic family and no discriminated union.
#[allow(dead_code)]
pub fn encode_variant<T: Serialize, S: Serializer>(
    value: &T,
    discriminator: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        let entry = map.entry(discriminator).or_insert(serde_json::Value::Null);
        if entry.is_null() {
            *entry = serde_json::Value::String(tag.to_owned());
        }
    }
    json.serialize(serializer)
}

/// An object key as the generated decoders read it: borrowed from the input when it can be
/// (no escapes in it), so matching it against the known field names does not allocate.
// Unused when the enabled categories reach no model.
#[allow(dead_code)]
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

#[allow(dead_code)]
impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key of a field this version of the client does not know, to keep it.
    pub fn into_owned(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The impls of a generated struct, from its table of fields: each field's Rust name, JSON name,
/// whether it is `optional` (an `Option`, left out when `None`, `null` read as `None`) or
/// `required` (an error when absent), and its declared type. Any other key is kept in
/// `additional_properties`. A table longer than [`FIELD_CHUNK`] fields comes in chunks separated
/// by `;`.
///
/// ```ignore
/// crate::model_support::object_serde!(UserProfile {
///     cost_center: "costCenter" optional Option<String>,
///     login: "login" required String,
/// });
/// ```
///
/// This gives the struct `Serialize`, `Deserialize`, `Debug`, `PartialEq` and `Clone` (the
/// struct derives only `Default`, when it has no required field). The only per-struct code is
/// its [`Object`] impl: the field types spelled out twice ([`Object::Fields`],
/// [`Object::View`]), one reference per field ([`Object::view`]) and one binding per field
/// ([`Object::from_fields`]). Each of the five impls is one call into the generic engine below,
/// which walks the fields as tuples ([`Fields`], [`View`]): the per-struct code has no loop,
/// visitor, `match`, `?`, method call or trait-object coercion per field, and no code generic
/// over a serializer, so the compiler checks each struct's fields twice instead of once per impl
/// (serde's derive was a third of the crate's type-checking time; then the engine's per-struct
/// decoders, and the derived `Debug`, `PartialEq` and `Clone`, each a per-field expression in a
/// body of its own, were most of the rest).
///
/// `Debug` prints what `#[derive(Debug)]` prints (`debug_struct`, fields in order, then
/// `additional_properties`); `PartialEq` compares the fields in order, then the kept ones, as the
/// derive does; `Clone` clones each field. A JSON object is read key by key (a repeated key: the
/// last one wins, as in `serde_json::Value`) and written through `serialize_map`, fields in
/// order, then the kept ones.
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    ($ty:ident { $($field:ident: $wire:literal $kind:ident $t:ty,)* }) => {
        $crate::model_support::object_serde!(@impl $ty [$($field $wire)*] [[$($field $kind $t,)*]]);
    };
    ($ty:ident { $($($field:ident: $wire:literal $kind:ident $t:ty,)*);+ }) => {
        $crate::model_support::object_serde!(@impl $ty [$($($field $wire)*)+] [$([$($field $kind $t,)*])+]);
    };
    (@impl $ty:ident [$($field:ident $wire:literal)*] $chunks:tt) => {
        impl $crate::model_support::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            const RUST_NAMES: &'static [&'static str] = &[$(stringify!($field)),*];
            const WIRE_NAMES: &'static [&'static str] = &[$($wire),*];
            type Fields = $crate::model_support::object_serde!(@owned $chunks);
            type View<'a> = $crate::model_support::object_serde!(@view 'a $chunks);
            #[inline]
            fn view(&self) -> (Self::View<'_>, &serde_json::Map<String, serde_json::Value>) {
                ($crate::model_support::object_serde!(@refs self $chunks), &self.additional_properties)
            }
            #[inline]
            fn from_fields(
                fields: Self::Fields,
                additional_properties: serde_json::Map<String, serde_json::Value>,
            ) -> Self {
                let $crate::model_support::object_serde!(@pattern $chunks) = fields;
                Self { $($field,)* additional_properties }
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::model_support::serialize_struct(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::model_support::deserialize_struct(deserializer)
            }
        }

        impl std::fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::model_support::debug_struct(self, f)
            }
        }

        impl PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::model_support::eq_struct(self, other)
            }
        }

        impl Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                $crate::model_support::clone_struct(self)
            }
        }
    };
    // Each of the following gives one chunk as a tuple, chunks nested in `Chunks`.
    // `Object::Fields`: the declared types, a required one in `Required`.
    (@owned [[$($field:ident $kind:ident $t:ty,)*]]) => {
        ($($crate::model_support::object_serde!(@owned1 $kind $t),)*)
    };
    (@owned [$head:tt $($rest:tt)+]) => {
        $crate::model_support::Chunks<
            $crate::model_support::object_serde!(@owned [$head]),
            $crate::model_support::object_serde!(@owned [$($rest)+]),
        >
    };
    (@owned1 optional $t:ty) => { $t };
    (@owned1 required $t:ty) => { $crate::model_support::Required<$t> };
    // `Object::View`: references to the fields, a required one's in `Required`.
    (@view $a:lifetime [[$($field:ident $kind:ident $t:ty,)*]]) => {
        ($($crate::model_support::object_serde!(@view1 $a $kind $t),)*)
    };
    (@view $a:lifetime [$head:tt $($rest:tt)+]) => {
        $crate::model_support::Chunks<
            $crate::model_support::object_serde!(@view $a [$head]),
            $crate::model_support::object_serde!(@view $a [$($rest)+]),
        >
    };
    (@view1 $a:lifetime optional $t:ty) => { &$a $t };
    (@view1 $a:lifetime required $t:ty) => { $crate::model_support::Required<&$a $t> };
    // `Object::view`'s references.
    (@refs $this:ident [[$($field:ident $kind:ident $t:ty,)*]]) => {
        ($($crate::model_support::object_serde!(@ref1 $kind $this.$field),)*)
    };
    (@refs $this:ident [$head:tt $($rest:tt)+]) => {
        $crate::model_support::Chunks(
            $crate::model_support::object_serde!(@refs $this [$head]),
            $crate::model_support::object_serde!(@refs $this [$($rest)+]),
        )
    };
    (@ref1 optional $this:ident.$field:ident) => { &$this.$field };
    (@ref1 required $this:ident.$field:ident) => { $crate::model_support::Required(&$this.$field) };
    // `Object::from_fields`' pattern, binding each field's value to its name.
    (@pattern [[$($field:ident $kind:ident $t:ty,)*]]) => {
        ($($crate::model_support::object_serde!(@bind1 $kind $field),)*)
    };
    (@pattern [$head:tt $($rest:tt)+]) => {
        $crate::model_support::Chunks(
            $crate::model_support::object_serde!(@pattern [$head]),
            $crate::model_support::object_serde!(@pattern [$($rest)+]),
        )
    };
    (@bind1 optional $field:ident) => { $field };
    (@bind1 required $field:ident) => { $crate::model_support::Required($field) };
}
pub use crate::object_serde;

/// A generated struct as the engine sees it; written by [`object_serde!`].
pub trait Object: Sized {
    /// The struct's name, for `Debug` and for the error a value that is not an object gets.
    const NAME: &'static str;
    /// The declared fields' Rust names, in table order (for `Debug`).
    const RUST_NAMES: &'static [&'static str];
    /// The declared fields' JSON names, in table order.
    const WIRE_NAMES: &'static [&'static str];
    /// The declared fields' values, in table order: an optional field's `Option`, a required
    /// field's value in [`Required`].
    type Fields: Fields;
    /// References to the declared fields, in table order: `&Option<T>` for an optional field,
    /// `Required<&T>` for a required one.
    type View<'a>: View<Owned = Self::Fields>
    where
        Self: 'a;
    /// The declared fields, and the kept ones.
    fn view(&self) -> (Self::View<'_>, &serde_json::Map<String, serde_json::Value>);
    /// The struct from its declared fields and the kept ones.
    fn from_fields(
        fields: Self::Fields,
        additional: serde_json::Map<String, serde_json::Value>,
    ) -> Self;
}

/// The most fields one tuple of [`Fields`] / [`View`] holds; a struct with more is written as
/// [`Chunks`] of at most this many. The generator splits its tables by the same number
/// (`okta_codegen::names::FIELD_CHUNK`; a test checks they agree).
#[allow(dead_code)]
pub const FIELD_CHUNK: usize = 12;

/// Two runs of a struct's fields, for structs with more than [`FIELD_CHUNK`] of them.
#[allow(dead_code)]
pub struct Chunks<H, R>(pub H, pub R);

/// A required field's value in [`Object::Fields`], or a reference to it in [`Object::View`]:
/// always written, an error when absent (an optional field is its `Option`). `Debug` and
/// `PartialEq` are the value's.
#[allow(dead_code)]
#[derive(PartialEq)]
pub struct Required<T>(pub T);

impl<T: fmt::Debug> fmt::Debug for Required<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The value of one declared field while its struct is decoded.
pub trait FieldValue: Sized {
    /// What the decoder holds until the object ends: `None` while the key has not come.
    type Slot: Default;
    /// Reads the field's value from `map` into `slot` (a later one replaces it).
    fn read<'de, A: MapAccess<'de>>(slot: &mut Self::Slot, map: &mut A) -> Result<(), A::Error>;
    /// The field's value, or `Err(name)` for a required field that never came.
    fn finish(slot: Self::Slot, name: &'static str) -> Result<Self, &'static str>;
}

/// An optional field: absent and `null` are both `None`.
impl<T: DeserializeOwned> FieldValue for Option<T> {
    type Slot = Self;
    fn read<'de, A: MapAccess<'de>>(slot: &mut Self, map: &mut A) -> Result<(), A::Error> {
        *slot = map.next_value()?;
        Ok(())
    }
    fn finish(slot: Self, _: &'static str) -> Result<Self, &'static str> {
        Ok(slot)
    }
}

impl<T: DeserializeOwned> FieldValue for Required<T> {
    type Slot = Option<T>;
    fn read<'de, A: MapAccess<'de>>(slot: &mut Option<T>, map: &mut A) -> Result<(), A::Error> {
        *slot = Some(map.next_value()?);
        Ok(())
    }
    fn finish(slot: Option<T>, name: &'static str) -> Result<Self, &'static str> {
        slot.map(Required).ok_or(name)
    }
}

/// A reference to one declared field, as [`Object::View`] holds it.
pub trait FieldRef: fmt::Debug + PartialEq {
    /// The field's value, as [`Object::Fields`] holds it.
    type Owned;
    /// Writes the field under `name`, unless it is an optional field without a value.
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error>;
    fn clone_value(&self) -> Self::Owned;
}

impl<T: Serialize + Clone + fmt::Debug + PartialEq> FieldRef for &Option<T> {
    type Owned = Option<T>;
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(value) => map.serialize_entry(name, value),
            None => Ok(()),
        }
    }
    fn clone_value(&self) -> Option<T> {
        Option::clone(*self)
    }
}

impl<T: Serialize + Clone + fmt::Debug + PartialEq> FieldRef for Required<&T> {
    type Owned = Required<T>;
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(name, self.0)
    }
    fn clone_value(&self) -> Required<T> {
        Required(self.0.clone())
    }
}

/// A struct's declared fields' values ([`Object::Fields`]), as the decoder fills them.
pub trait Fields: Sized {
    /// How many fields (read by [`Chunks`], unused when no struct has more than one chunk).
    #[allow(dead_code)]
    const LEN: usize;
    /// One [`FieldValue::Slot`] per field.
    type Slots;
    fn empty() -> Self::Slots;
    /// Reads the value of the field at `index` from `map`.
    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// The values, or `Err` with the JSON name (from `names`) of the first required field
    /// that never came.
    fn finish(slots: Self::Slots, names: &'static [&'static str]) -> Result<Self, &'static str>;
}

/// References to a struct's declared fields ([`Object::View`]): what `Serialize`, `Debug`,
/// `PartialEq` and `Clone` walk.
pub trait View {
    /// How many fields (read by [`Chunks`], unused when no struct has more than one chunk).
    #[allow(dead_code)]
    const LEN: usize;
    /// The fields' values ([`Object::Fields`]).
    type Owned;
    /// Writes each present field under its JSON name (`names` is in the same order).
    fn write<M: SerializeMap>(&self, names: &[&str], map: &mut M) -> Result<(), M::Error>;
    /// Adds each field under its Rust name (`names` is in the same order).
    fn debug(&self, names: &[&str], out: &mut fmt::DebugStruct<'_, '_>);
    /// Whether each field equals `other`'s, in order, stopping at the first that does not.
    fn eq_fields(&self, other: &Self) -> bool;
    fn clone_fields(&self) -> Self::Owned;
}

macro_rules! field_tuples {
    ($( $len:literal: ($($T:ident $i:tt),*) )*) => { $(
        impl<$($T: FieldValue),*> Fields for ($($T,)*) {
            const LEN: usize = $len;
            type Slots = ($($T::Slot,)*);
            #[allow(clippy::unused_unit)] // the struct without fields: `()`
            fn empty() -> Self::Slots {
                ($($T::Slot::default(),)*)
            }
            #[allow(unused_variables)]
            fn read<'de, A: MapAccess<'de>>(
                slots: &mut Self::Slots,
                index: usize,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match index {
                    $( $i => $T::read(&mut slots.$i, map), )*
                    _ => Ok(()),
                }
            }
            #[allow(unused_variables, clippy::unused_unit)]
            fn finish(slots: Self::Slots, names: &'static [&'static str]) -> Result<Self, &'static str> {
                Ok(($($T::finish(slots.$i, names[$i])?,)*))
            }
        }

        impl<$($T: FieldRef),*> View for ($($T,)*) {
            const LEN: usize = $len;
            type Owned = ($($T::Owned,)*);
            #[allow(unused_variables)]
            fn write<M: SerializeMap>(&self, names: &[&str], map: &mut M) -> Result<(), M::Error> {
                $( self.$i.write(names[$i], map)?; )*
                Ok(())
            }
            #[allow(unused_variables)]
            fn debug(&self, names: &[&str], out: &mut fmt::DebugStruct<'_, '_>) {
                $( out.field(names[$i], &self.$i); )*
            }
            #[allow(unused_variables)]
            fn eq_fields(&self, other: &Self) -> bool {
                true $( && self.$i == other.$i )*
            }
            #[allow(clippy::unused_unit)]
            fn clone_fields(&self) -> Self::Owned {
                ($(self.$i.clone_value(),)*)
            }
        }
    )* };
}

field_tuples! {
    0: ()
    1: (T0 0)
    2: (T0 0, T1 1)
    3: (T0 0, T1 1, T2 2)
    4: (T0 0, T1 1, T2 2, T3 3)
    5: (T0 0, T1 1, T2 2, T3 3, T4 4)
    6: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5)
    7: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6)
    8: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7)
    9: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8)
    10: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9)
    11: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10)
    12: (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11)
}

impl<H: Fields, R: Fields> Fields for Chunks<H, R> {
    const LEN: usize = H::LEN + R::LEN;
    type Slots = Chunks<H::Slots, R::Slots>;
    fn empty() -> Self::Slots {
        Chunks(H::empty(), R::empty())
    }
    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if index < H::LEN {
            H::read(&mut slots.0, index, map)
        } else {
            R::read(&mut slots.1, index - H::LEN, map)
        }
    }
    fn finish(slots: Self::Slots, names: &'static [&'static str]) -> Result<Self, &'static str> {
        let (head, rest) = names.split_at(H::LEN);
        Ok(Chunks(H::finish(slots.0, head)?, R::finish(slots.1, rest)?))
    }
}

impl<H: View, R: View> View for Chunks<H, R> {
    const LEN: usize = H::LEN + R::LEN;
    type Owned = Chunks<H::Owned, R::Owned>;
    fn write<M: SerializeMap>(&self, names: &[&str], map: &mut M) -> Result<(), M::Error> {
        let (head, rest) = names.split_at(H::LEN);
        self.0.write(head, map)?;
        self.1.write(rest, map)
    }
    fn debug(&self, names: &[&str], out: &mut fmt::DebugStruct<'_, '_>) {
        let (head, rest) = names.split_at(H::LEN);
        self.0.debug(head, out);
        self.1.debug(rest, out);
    }
    fn eq_fields(&self, other: &Self) -> bool {
        self.0.eq_fields(&other.0) && self.1.eq_fields(&other.1)
    }
    fn clone_fields(&self) -> Self::Owned {
        Chunks(self.0.clone_fields(), self.1.clone_fields())
    }
}

/// A generated struct's `Serialize`: its declared fields, then the kept ones.
#[allow(dead_code)]
pub fn serialize_struct<T: Object, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let (fields, additional) = value.view();
    let mut map = serializer.serialize_map(None)?;
    fields.write(T::WIRE_NAMES, &mut map)?;
    for (key, value) in additional {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// A generated struct's `Deserialize`: its declared fields by JSON name, the keys it does not
/// declare kept.
#[allow(dead_code)]
pub fn deserialize_struct<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::Fields::empty();
        let mut additional = serde_json::Map::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match T::WIRE_NAMES.iter().position(|name| *name == key.as_str()) {
                Some(index) => T::Fields::read(&mut slots, index, &mut map)?,
                None => {
                    additional.insert(key.into_owned(), map.next_value()?);
                }
            }
        }
        let fields = T::Fields::finish(slots, T::WIRE_NAMES).map_err(A::Error::missing_field)?;
        Ok(T::from_fields(fields, additional))
    }
}

/// A generated struct's `Debug`: what `#[derive(Debug)]` prints.
#[allow(dead_code)]
pub fn debug_struct<T: Object>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let (fields, additional) = value.view();
    let mut out = f.debug_struct(T::NAME);
    fields.debug(T::RUST_NAMES, &mut out);
    out.field("additional_properties", additional).finish()
}

/// A generated struct's `PartialEq`: as `#[derive(PartialEq)]`, field by field in order.
#[allow(dead_code)]
pub fn eq_struct<T: Object>(left: &T, right: &T) -> bool {
    let (left, left_additional) = left.view();
    let (right, right_additional) = right.view();
    left.eq_fields(&right) && left_additional == right_additional
}

/// A generated struct's `Clone`: each field cloned.
#[allow(dead_code)]
pub fn clone_struct<T: Object>(value: &T) -> T {
    let (fields, additional) = value.view();
    T::from_fields(fields.clone_fields(), additional.clone())
}

/// The items of a generated string enum, from its table of variants: each variant's Rust name
/// and the value Okta writes. The enum itself is generated beside it (deriving only `Debug`),
/// with one more variant, `Unrecognized(String)`, for values this version of the client does
/// not know. This gives it `as_str`, `From<&str>`, `Display`, `Serialize`, `Deserialize`,
/// `Clone`, `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord`, all through the value: two values
/// are equal when Okta writes them the same, and they are ordered as their text is (the
/// derives would compare variants, a `match` per impl and enum, a good part of the crate's
/// type-checking time over its 470 enums).
///
/// ```ignore
/// crate::model_support::string_enum!(UserStatus { Active = "ACTIVE", Staged = "STAGED", });
/// ```
///
/// The same five items for every enum, written once here rather than spelled out by the
/// generator for each of them (they were a fifth of the text it wrote and laid out).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($ty:ident { $($variant:ident = $value:literal,)* }) => {
        impl $ty {
            /// The value as Okta writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unrecognized(value) => value,
                }
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                Self::from(self.as_str())
            }
        }

        impl PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $ty {}

        impl std::hash::Hash for $ty {
            #[inline]
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }

        impl PartialOrd for $ty {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $ty {
            #[inline]
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}
pub use crate::string_enum;

/// The items of a generated union, from its table of branches: each branch's variant, Rust type
/// and accessor, `object` when the type is a generated struct, and, for a union with a
/// discriminator, the values of the discriminator that pick
/// it (`= "A" | "B"`) and the value it is sent with when the caller left the discriminator unset
/// (`=> "A"`, written by the generator when one value alone picks the branch). The enum is
/// generated beside it, with one more variant, `Other(serde_json::Value)`, for a value no branch
/// takes. This gives it `Serialize`, `Deserialize`, `From` each branch's type, and one accessor
/// per branch (`as_group_list(&self) -> Option<&Vec<Group>>`).
///
/// ```ignore
/// crate::model_support::union_enum!(GroupsOrGroup {
///     GroupList(Vec<Group>) as_group_list,
///     Group(Group) as_group object,
/// });
/// crate::model_support::union_enum!(RoleAssignment by "type" {
///     StandardRole(StandardRole) as_standard_role object = "APP_ADMIN" | "ORG_ADMIN",
///     CustomRole(CustomRole) as_custom_role object = "CUSTOM" => "CUSTOM",
/// });
/// ```
///
/// Decoding reads the value into a `serde_json::Value` once, then decodes the branches from it
/// (by reference: a branch that fails costs a walk of the value, not a copy of it, nor a second
/// parse). With a discriminator, a value whose discriminator is a string decodes into the branch
/// that value picks, and a value that does not decode as that branch is an error naming the
/// failing field's path (as any malformed object is); a value with another discriminator is
/// `Other`. Without a discriminator, or for a value that lacks it (or has `null`), each branch is
/// tried in order: the first that decodes the value and knows each of its keys wins (a struct
/// whose fields are all optional decodes any object, keeping the keys it does not know, so the
/// first such branch would otherwise take every object: an Active Directory group's profile
/// would decode as an Okta group's; for an object, only a struct branch can be seen to know
/// every key, by keeping none); when no branch that decodes it is seen to, the first of them
/// wins; when none decodes it, `Other` keeps it. `Other` is written back
/// exactly as it was read.
#[doc(hidden)]
#[macro_export]
macro_rules! union_enum {
    ($ty:ident { $($variant:ident($branch:ty) $accessor:ident $($object:ident)?,)* }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(value) => serde::Serialize::serialize(value, serializer), )*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                Ok($crate::model_support::union_enum!(@first value, $($variant($branch) $($object)?,)*))
            }
        }

        $crate::model_support::union_enum!(@access $ty { $($variant($branch) $accessor,)* });
    };
    ($ty:ident by $disc:literal {
        $($variant:ident($branch:ty) $accessor:ident $($object:ident)? = $($value:literal)|+ $(=> $tag:literal)?,)*
    }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(value) => {
                        $crate::model_support::union_enum!(@write value, serializer $(, $disc, $tag)?)
                    } )*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get($disc) {
                    None | Some(serde_json::Value::Null) => {
                        Ok($crate::model_support::union_enum!(@first value, $($variant($branch) $($object)?,)*))
                    }
                    Some(serde_json::Value::String(tag)) => match tag.as_str() {
                        $( $($value)|+ => $crate::model_support::decode_variant(value).map(Self::$variant), )*
                        _ => Ok(Self::Other(value)),
                    },
                    Some(_) => Ok(Self::Other(value)),
                }
            }
        }

        $crate::model_support::union_enum!(@access $ty { $($variant($branch) $accessor,)* });
    };
    // The first branch, in order, that decodes `$value` and knows each of its keys (returned
    // from the enclosing `deserialize`); else the first that decodes it; else `Other`.
    (@first $value:ident, $($variant:ident($branch:ty) $($object:ident)?,)*) => {{
        let mut first = None;
        $(
            if let Ok(branch) = <$branch as serde::Deserialize>::deserialize(&$value) {
                if $crate::model_support::union_enum!(@knows_every_key $value, branch $($object)?) {
                    return Ok(Self::$variant(branch));
                }
                if first.is_none() {
                    first = Some(Self::$variant(branch));
                }
            }
        )*
        first.unwrap_or(Self::Other($value))
    }};
    // Whether a decoded branch is known to have left no key of the value unknown: a generated
    // struct (marked `object`) keeps the keys it does not know in `additional_properties`; of
    // any other type (a list, a scalar, a family or union, whose structs keep keys too) only
    // when the value has no keys, as it is not an object.
    (@knows_every_key $value:ident, $branch:ident) => { !$value.is_object() };
    (@knows_every_key $value:ident, $branch:ident object) => {
        $branch.additional_properties.is_empty()
    };
    (@write $value:ident, $serializer:ident) => {
        serde::Serialize::serialize($value, $serializer)
    };
    (@write $value:ident, $serializer:ident, $disc:literal, $tag:literal) => {
        $crate::model_support::encode_variant($value, $disc, $tag, $serializer)
    };
    (@access $ty:ident { $($variant:ident($branch:ty) $accessor:ident,)* }) => {
        impl $ty {
            $(
                #[doc = concat!("The value of branch [`", stringify!($variant), "`](Self::", stringify!($variant), "), if this is one.")]
                pub fn $accessor(&self) -> Option<&$branch> {
                    match self {
                        Self::$variant(value) => Some(value),
                        _ => None,
                    }
                }
            )*
        }

        $(
            impl From<$branch> for $ty {
                fn from(value: $branch) -> Self {
                    Self::$variant(value)
                }
            }
        )*
    };
}
pub use crate::union_enum;

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A struct shaped like a generated one, with a required field.
    struct Probe {
        name: Option<String>,
        total: i64,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(Probe {
        name: "displayName" optional Option<String>,
        total: "total" required i64,
    });

    /// An enum shaped like a generated one.
    #[derive(Debug)]
    enum Shade {
        Dark,
        LightGrey,
        Unrecognized(String),
    }
    string_enum!(Shade { Dark = "DARK", LightGrey = "light:grey", });

    /// Branch types and unions shaped like generated ones.
    #[derive(Default)]
    struct Part {
        name: Option<String>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(Part { name: "name" optional Option<String>, });

    /// An untagged union: a list or one object (Okta's list-or-object responses), or scalars.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    enum PartOrParts {
        PartList(Vec<Part>),
        Part(Part),
        Integer(i32),
        String(String),
        Other(serde_json::Value),
    }
    union_enum!(PartOrParts {
        PartList(Vec<Part>) as_part_list,
        Part(Part) as_part object,
        Integer(i32) as_integer,
        String(String) as_string,
    });

    struct StandardRole {
        type_: Option<String>,
        level: i32,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(StandardRole { type_: "type" optional Option<String>, level: "level" required i32, });

    #[derive(Default)]
    struct CustomRole {
        type_: Option<String>,
        label: Option<String>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(CustomRole { type_: "type" optional Option<String>, label: "label" optional Option<String>, });

    /// A union with a discriminator: two values pick `StandardRole`, one picks `CustomRole`.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    enum Role {
        StandardRole(StandardRole),
        CustomRole(CustomRole),
        Other(serde_json::Value),
    }
    union_enum!(Role by "type" {
        StandardRole(StandardRole) as_standard_role object = "ADMIN" | "HELP_DESK",
        CustomRole(CustomRole) as_custom_role object = "CUSTOM" => "CUSTOM",
    });

    /// Two structs whose fields are all optional (each decodes any object), as Okta's group
    /// profiles: an Okta group's and an Active Directory group's.
    #[derive(Default)]
    struct OktaProfile {
        name: Option<String>,
        description: Option<String>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(OktaProfile {
        name: "name" optional Option<String>,
        description: "description" optional Option<String>,
    });

    #[derive(Default)]
    struct AdProfile {
        name: Option<String>,
        sam_account_name: Option<String>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(AdProfile {
        name: "name" optional Option<String>,
        sam_account_name: "samAccountName" optional Option<String>,
    });

    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    enum Profile {
        Okta(OktaProfile),
        Ad(AdProfile),
        Other(serde_json::Value),
    }
    union_enum!(Profile {
        Okta(OktaProfile) as_okta object,
        Ad(AdProfile) as_ad object,
    });

    fn part(name: &str) -> Part {
        Part {
            name: Some(name.into()),
            ..Part::default()
        }
    }

    #[test]
    fn untagged_union_decodes_the_first_branch_that_takes_the_value() {
        let cases = [
            (
                json!([{"name": "a"}, {}]),
                PartOrParts::PartList(vec![part("a"), Part::default()]),
            ),
            (json!({"name": "a"}), PartOrParts::Part(part("a"))),
            (json!(7), PartOrParts::Integer(7)),
            (json!("seven"), PartOrParts::String("seven".into())),
        ];
        for (json, want) in cases {
            let got: PartOrParts = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(got, want, "{json}");
            assert_eq!(serde_json::to_value(&got).unwrap(), json);
        }
        // A later branch is tried when an earlier one fails inside the value, not only on its kind.
        let got: PartOrParts = serde_json::from_str(r#"[{"name": "a"}, 3]"#).unwrap();
        assert_eq!(got, PartOrParts::Other(json!([{"name": "a"}, 3])));
    }

    #[test]
    fn untagged_union_prefers_the_first_branch_that_knows_every_key_of_the_value() {
        // Both branches decode every object; the one that knows `samAccountName` wins.
        let ad: Profile =
            serde_json::from_value(json!({"name": "eng", "samAccountName": "ENG"})).unwrap();
        assert_eq!(
            ad.as_ad().and_then(|p| p.sam_account_name.as_deref()),
            Some("ENG"),
            "{ad:?}"
        );
        // Both know every key: the first, in order.
        let both: Profile = serde_json::from_value(json!({"name": "eng"})).unwrap();
        assert!(both.as_okta().is_some(), "{both:?}");
        let okta: Profile =
            serde_json::from_value(json!({"name": "eng", "description": "d"})).unwrap();
        assert!(okta.as_okta().is_some(), "{okta:?}");
        // Neither knows `extra`: the first that decodes it, which keeps `extra`.
        let value = json!({"name": "eng", "samAccountName": "ENG", "description": "d", "extra": 1});
        let neither: Profile = serde_json::from_value(value.clone()).unwrap();
        assert!(neither.as_okta().is_some(), "{neither:?}");
        assert_eq!(serde_json::to_value(&neither).unwrap(), value);
    }

    #[test]
    fn a_value_no_branch_takes_is_kept_in_other_and_written_back_unchanged() {
        let text = r#"[true,{"deep":[null,1.5e+300,{"k":"v"}]},-0.25,"x"]"#;
        for one in [
            "true",
            "null",
            "2.5",
            "4294967296",
            r#"{"name":7}"#,
            r#"[{"name":"a"},1]"#,
        ] {
            let got: PartOrParts = serde_json::from_str(one).unwrap();
            assert!(matches!(got, PartOrParts::Other(_)), "{one}: {got:?}");
            assert_eq!(serde_json::to_string(&got).unwrap(), one);
        }
        let got: Role =
            serde_json::from_str(&format!(r#"{{"type":"NEW_ROLE","x":{text}}}"#)).unwrap();
        assert!(matches!(got, Role::Other(_)), "{got:?}");
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            format!(r#"{{"type":"NEW_ROLE","x":{text}}}"#)
        );
    }

    #[test]
    fn discriminated_union_decodes_the_branch_its_discriminator_picks() {
        let admin: Role = serde_json::from_value(json!({"type": "ADMIN", "level": 1})).unwrap();
        assert_eq!(admin.as_standard_role().map(|r| r.level), Some(1));
        let help: Role = serde_json::from_value(json!({"type": "HELP_DESK", "level": 2})).unwrap();
        assert_eq!(help.as_standard_role().map(|r| r.level), Some(2));
        // `CustomRole` has no required field and would take any object untagged: the
        // discriminator decides, not the order.
        let custom: Role =
            serde_json::from_value(json!({"type": "CUSTOM", "label": "ops", "level": 3})).unwrap();
        assert_eq!(
            custom.as_custom_role().and_then(|r| r.label.as_deref()),
            Some("ops")
        );
        for other in [
            json!({"type": "SUPER_ADMIN", "level": 1}),
            json!({"type": 5, "level": 1}),
            json!({"type": ["ADMIN"]}),
            json!("ADMIN"),
        ] {
            let got: Role = serde_json::from_value(other.clone()).unwrap();
            assert_eq!(got, Role::Other(other.clone()));
            assert_eq!(serde_json::to_value(&got).unwrap(), other);
        }
    }

    #[test]
    fn discriminated_union_without_its_discriminator_tries_the_branches_in_order() {
        let standard: Role = serde_json::from_value(json!({"level": 4})).unwrap();
        assert_eq!(standard.as_standard_role().map(|r| r.level), Some(4));
        // No `level`: not a `StandardRole`, so the next branch.
        let custom: Role = serde_json::from_value(json!({"type": null, "label": "x"})).unwrap();
        assert!(custom.as_custom_role().is_some(), "{custom:?}");
        let other: Role = serde_json::from_value(json!(17)).unwrap();
        assert_eq!(other, Role::Other(json!(17)));
    }

    #[test]
    fn a_known_discriminator_with_a_malformed_body_is_an_error_naming_the_field() {
        let err = serde_json::from_value::<Role>(json!({"type": "ADMIN", "level": "high"}))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("level: invalid type: string \"high\""),
            "{err}"
        );
        let err = serde_json::from_value::<Role>(json!({"type": "ADMIN"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `level`"), "{err}");
    }

    #[test]
    fn a_branch_one_value_picks_is_sent_with_it_when_its_discriminator_is_unset() {
        let custom = Role::from(CustomRole::default());
        assert_eq!(
            serde_json::to_value(&custom).unwrap(),
            json!({"type": "CUSTOM"})
        );
        let set = Role::CustomRole(CustomRole {
            type_: Some("CUSTOM_V2".into()),
            ..CustomRole::default()
        });
        assert_eq!(
            serde_json::to_value(&set).unwrap(),
            json!({"type": "CUSTOM_V2"})
        );
        // Two values pick `StandardRole`: neither is guessed.
        let standard = Role::from(StandardRole {
            type_: None,
            level: 1,
            additional_properties: serde_json::Map::new(),
        });
        assert_eq!(
            serde_json::to_value(&standard).unwrap(),
            json!({"level": 1})
        );
    }

    #[test]
    fn union_converts_from_each_branch_and_borrows_it_back() {
        let union = PartOrParts::from(vec![part("a")]);
        assert_eq!(union.as_part_list(), Some(&vec![part("a")]));
        assert_eq!(union.as_part(), None);
        assert_eq!(PartOrParts::from(3).as_integer(), Some(&3));
        assert_eq!(
            PartOrParts::from("x".to_owned())
                .as_string()
                .map(String::as_str),
            Some("x")
        );
    }

    #[test]
    fn string_enum_reads_and_writes_okta_values_and_keeps_unknown_ones() {
        let shades: Vec<Shade> =
            serde_json::from_str(r#"["DARK", "light:grey", "dark", "NEON"]"#).unwrap();
        assert_eq!(
            shades,
            [
                Shade::Dark,
                Shade::LightGrey,
                Shade::Unrecognized("dark".into()),
                Shade::Unrecognized("NEON".into()),
            ]
        );
        assert_eq!(
            serde_json::to_string(&shades).unwrap(),
            r#"["DARK","light:grey","dark","NEON"]"#
        );
        // Equality goes by the value; the variants themselves are the known ones.
        assert!(matches!(
            shades.as_slice(),
            [Shade::Dark, Shade::LightGrey, Shade::Unrecognized(a), Shade::Unrecognized(b)]
                if a == "dark" && b == "NEON"
        ));
        assert_eq!(Shade::LightGrey.to_string(), "light:grey");
        assert_eq!(Shade::from("DARK").as_str(), "DARK");
        let err = serde_json::from_str::<Shade>("7").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn string_enum_compares_hashes_orders_and_clones_by_its_value() {
        use std::collections::{BTreeSet, HashSet};
        assert_eq!(Shade::Dark, Shade::Dark);
        assert_ne!(Shade::Dark, Shade::LightGrey);
        assert_ne!(Shade::Dark, Shade::Unrecognized("dark".into()));
        // A known value built by hand as unrecognized is still that value.
        assert_eq!(Shade::Dark, Shade::Unrecognized("DARK".into()));
        let set: HashSet<Shade> = [Shade::Dark, Shade::Unrecognized("DARK".into())].into();
        assert_eq!(set.len(), 1);
        // Ordered as the values' text: "DARK" < "NEON" < "dark" < "light:grey".
        let sorted: Vec<String> = [
            Shade::LightGrey,
            Shade::Unrecognized("dark".into()),
            Shade::Dark,
            Shade::Unrecognized("NEON".into()),
        ]
        .into_iter()
        .collect::<BTreeSet<_>>()
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
        assert_eq!(sorted, ["DARK", "NEON", "dark", "light:grey"]);
        assert!(Shade::Dark < Shade::LightGrey);
        // A clone is the same variant.
        assert!(matches!(Shade::LightGrey.clone(), Shade::LightGrey));
        assert!(matches!(
            Shade::Unrecognized("NEON".into()).clone(),
            Shade::Unrecognized(v) if v == "NEON"
        ));
    }

    /// A struct of more than one chunk, and its twin with derived impls: `object_serde!`'s
    /// `Debug`, `PartialEq` and `Clone` are the derives'.
    struct Wide {
        f0: Option<i32>,
        f1: Option<String>,
        f2: Option<Vec<i64>>,
        f3: Option<bool>,
        f4: Option<Shade>,
        f5: Option<i32>,
        f6: Option<i32>,
        f7: Option<i32>,
        f8: Option<i32>,
        f9: Option<i32>,
        f10: Option<i32>,
        f11: Option<i32>,
        f12: String,
        f13: Option<Box<Part>>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(Wide {
        f0: "f0" optional Option<i32>, f1: "f1" optional Option<String>,
        f2: "f2" optional Option<Vec<i64>>, f3: "f3" optional Option<bool>,
        f4: "f4" optional Option<Shade>, f5: "f5" optional Option<i32>,
        f6: "f6" optional Option<i32>, f7: "f7" optional Option<i32>,
        f8: "f8" optional Option<i32>, f9: "f9" optional Option<i32>,
        f10: "f10" optional Option<i32>, f11: "f11" optional Option<i32>,;
        f12: "f12" required String, f13: "f13" optional Option<Box<Part>>,
    });

    mod twin {
        use super::{Part, Shade};
        #[derive(Debug, Clone, PartialEq)]
        pub(super) struct Wide {
            pub(super) f0: Option<i32>,
            pub(super) f1: Option<String>,
            pub(super) f2: Option<Vec<i64>>,
            pub(super) f3: Option<bool>,
            pub(super) f4: Option<Shade>,
            pub(super) f5: Option<i32>,
            pub(super) f6: Option<i32>,
            pub(super) f7: Option<i32>,
            pub(super) f8: Option<i32>,
            pub(super) f9: Option<i32>,
            pub(super) f10: Option<i32>,
            pub(super) f11: Option<i32>,
            pub(super) f12: String,
            pub(super) f13: Option<Box<Part>>,
            pub(super) additional_properties: serde_json::Map<String, serde_json::Value>,
        }
    }

    #[test]
    fn object_debug_eq_and_clone_are_the_derives() {
        let json = json!({
            "f0": 0, "f1": "one \"quoted\"", "f2": [2, -2], "f4": "light:grey", "f11": 11,
            "f12": "twelve", "f13": {"name": "p", "x": null}, "zz": {"k": [1.5]},
        });
        let wide: Wide = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&wide).unwrap(), json);
        let twin = twin::Wide {
            f0: wide.f0,
            f1: wide.f1.clone(),
            f2: wide.f2.clone(),
            f3: wide.f3,
            f4: wide.f4.clone(),
            f5: None,
            f6: None,
            f7: None,
            f8: None,
            f9: None,
            f10: None,
            f11: wide.f11,
            f12: wide.f12.clone(),
            f13: wide.f13.clone(),
            additional_properties: wide.additional_properties.clone(),
        };
        assert_eq!(format!("{wide:?}"), format!("{twin:?}"));
        assert_eq!(format!("{wide:#?}"), format!("{twin:#?}"));
        let probe = Probe {
            name: None,
            total: 3,
            additional_properties: serde_json::Map::new(),
        };
        assert_eq!(
            format!("{probe:?}"),
            "Probe { name: None, total: 3, additional_properties: {} }"
        );

        let copy = wide.clone();
        assert!(copy == wide);
        assert_eq!(format!("{copy:?}"), format!("{wide:?}"));
        for change in [
            |w: &mut Wide| w.f0 = None,
            |w: &mut Wide| w.f11 = Some(12),
            |w: &mut Wide| w.f12.push('!'),
            |w: &mut Wide| w.f13 = None,
            |w: &mut Wide| {
                w.additional_properties.remove("zz");
            },
        ] {
            let mut other = wide.clone();
            change(&mut other);
            assert_ne!(other, wide);
        }
    }

    #[test]
    fn object_decodes_by_wire_name_and_keeps_unknown_keys() {
        let probe: Probe =
            serde_json::from_value(json!({"displayName": "a", "total": 3, "extra": [1]})).unwrap();
        assert_eq!(probe.name.as_deref(), Some("a"));
        assert_eq!(probe.total, 3);
        assert_eq!(probe.additional_properties["extra"], json!([1]));
        assert_eq!(
            serde_json::to_value(&probe).unwrap(),
            json!({"displayName": "a", "total": 3, "extra": [1]})
        );
    }

    #[test]
    fn object_leaves_out_absent_optional_fields_and_accepts_null_for_them() {
        let probe: Probe = serde_json::from_str(r#"{"displayName": null, "total": 0}"#).unwrap();
        assert_eq!(probe.name, None);
        assert_eq!(serde_json::to_string(&probe).unwrap(), r#"{"total":0}"#);
    }

    #[test]
    fn object_without_a_required_field_is_an_error_naming_it() {
        let err = serde_json::from_str::<Probe>(r#"{"displayName": "a"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `total`"), "{err}");
    }

    #[test]
    fn object_matches_escaped_keys_and_takes_the_last_of_repeated_ones() {
        // `\u0074otal` is `total` with an escape: the key is decoded, not borrowed.
        let probe: Probe = serde_json::from_str(r#"{"\u0074otal": 1, "total": 2}"#).unwrap();
        assert_eq!(probe.total, 2);
        assert!(probe.additional_properties.is_empty());
    }

    #[test]
    fn object_refuses_what_is_not_an_object_and_says_what_it_expected() {
        let err = serde_json::from_str::<Probe>("[1]").unwrap_err();
        assert!(err.to_string().contains("a JSON object (Probe)"), "{err}");
    }
}
