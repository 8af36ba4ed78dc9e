//! Array members read into a buffer sized to their items.
//!
//! serde's `Vec` starts at four items and doubles, so a wide array ends with
//! up to twice the slots it needs, and every one-item array (the `content`
//! of most messages) holds four. [`List`] grows by an eighth instead and
//! gives back what is left over, so the items of a parsed frame take about
//! their own size: a frame of 100,000 one-part messages then costs its items,
//! not four parts each. The growth stays geometric, so reading stays linear.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

/// An array read by `wire_object!`'s `req_list`, `opt_list` and
/// `null_list` members; the model's field is the `Vec` inside.
#[derive(Debug)]
pub struct List<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = List<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // serde's own `Vec` says the same, so errors read as before.
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            if items.len() == items.capacity() {
                items.reserve_exact((items.len() / 8).max(1));
            }
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(List(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_end_at_their_length_and_read_like_vecs() {
        for n in [0usize, 1, 2, 7, 9, 100, 1000] {
            let items: Vec<usize> = (0..n).collect();
            let text = serde_json::to_string(&items).unwrap();
            let List(read) = serde_json::from_str::<List<usize>>(&text).unwrap();
            assert_eq!(read, items);
            assert_eq!(read.capacity(), n);
        }
        let err = serde_json::from_str::<List<u8>>("{}").unwrap_err();
        let vec_err = serde_json::from_str::<Vec<u8>>("{}").unwrap_err();
        assert_eq!(err.to_string(), vec_err.to_string());
    }
}
