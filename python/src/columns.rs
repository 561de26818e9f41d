//! Plain Arrow buffers in and out: reading `large_string` input columns into one JSON object per
//! row, and building `string`, `list<string>` and `bool` output columns.
//!
//! Owns the byte layout only (Arrow columnar format: little-endian offsets, LSB-first validity
//! bitmaps). Every index is checked, so a malformed buffer from Python is a typed
//! `malformed-column` error, never a panic or an out-of-bounds read.

use puhui::ApiError;

/// How a column's text goes into the row's JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Digits of an integer or decimal, or `true` / `false`: written as a JSON literal.
    Literal,
    /// Any text: written as a JSON string.
    Text,
    /// One JSON value (an object, array, …) as text: checked, then written as is.
    Json,
}

/// One input column (Arrow `large_string` buffers).
#[derive(Debug)]
pub struct Column<'a> {
    name: &'a str,
    key: Vec<u8>,
    kind: Kind,
    validity: Option<&'a [u8]>,
    offsets: &'a [u8],
    data: &'a [u8],
    offset: usize,
}

fn malformed(name: &str, what: &str) -> ApiError {
    ApiError::new(
        "malformed-column",
        format!("column {name:?}: {what}"),
        Some(name.to_owned()),
    )
}

impl<'a> Column<'a> {
    /// Checks the kind code; the buffers are checked as rows are read.
    pub fn new(
        name: &'a str,
        kind: u8,
        validity: Option<&'a [u8]>,
        offsets: &'a [u8],
        data: &'a [u8],
        offset: usize,
    ) -> Result<Column<'a>, ApiError> {
        let kind = match kind {
            0 => Kind::Literal,
            1 => Kind::Text,
            2 => Kind::Json,
            _ => return Err(malformed(name, "unknown column kind")),
        };
        let mut key = Vec::with_capacity(name.len() + 3);
        serde_json::to_writer(&mut key, name).map_err(|e| malformed(name, &e.to_string()))?;
        key.push(b':');
        Ok(Column {
            name,
            key,
            kind,
            validity,
            offsets,
            data,
            offset,
        })
    }

    fn offset_at(&self, index: usize) -> Result<usize, ApiError> {
        let start = index
            .checked_mul(8)
            .ok_or_else(|| malformed(self.name, "offset index overflows"))?;
        let bytes: [u8; 8] = self
            .offsets
            .get(start..start.saturating_add(8))
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| malformed(self.name, "offsets buffer too short"))?;
        usize::try_from(i64::from_le_bytes(bytes))
            .map_err(|_| malformed(self.name, "negative offset"))
    }

    /// The text of `row`, or `None` when it is null.
    pub fn value(&self, row: usize) -> Result<Option<&'a [u8]>, ApiError> {
        let index = self
            .offset
            .checked_add(row)
            .ok_or_else(|| malformed(self.name, "row index overflows"))?;
        if let Some(bitmap) = self.validity {
            let byte = bitmap
                .get(index / 8)
                .ok_or_else(|| malformed(self.name, "validity bitmap too short"))?;
            if byte & (1 << (index % 8)) == 0 {
                return Ok(None);
            }
        }
        let start = self.offset_at(index)?;
        let end = self.offset_at(index.saturating_add(1))?;
        self.data
            .get(start..end)
            .map(Some)
            .ok_or_else(|| malformed(self.name, "offsets outside the data buffer"))
    }
}

/// Whether `text` is a JSON number literal or a boolean, as Arrow casts integers, decimals and
/// booleans to text.
fn is_literal(text: &[u8]) -> bool {
    if text == b"true" || text == b"false" {
        return true;
    }
    serde_json::from_slice::<serde_json::Number>(text).is_ok()
}

/// The JSON object of one row, rebuilt in one reused buffer. Null cells are left out (an
/// absent field), as a JSON-lines writer that skips nulls would.
#[derive(Debug, Default)]
pub struct RowJson {
    buf: Vec<u8>,
}

impl RowJson {
    /// Builds row `row` from `columns`.
    pub fn build(&mut self, columns: &[Column<'_>], row: usize) -> Result<(), ApiError> {
        self.buf.clear();
        self.buf.push(b'{');
        let mut first = true;
        for column in columns {
            let Some(text) = column.value(row)? else {
                continue;
            };
            if !first {
                self.buf.push(b',');
            }
            first = false;
            self.buf.extend_from_slice(&column.key);
            match column.kind {
                Kind::Literal => {
                    if !is_literal(text) {
                        return Err(malformed(column.name, "value is not a number or a boolean"));
                    }
                    self.buf.extend_from_slice(text);
                }
                Kind::Text => {
                    let text = std::str::from_utf8(text)
                        .map_err(|_| malformed(column.name, "text is not UTF-8"))?;
                    serde_json::to_writer(&mut self.buf, text)
                        .map_err(|e| malformed(column.name, &e.to_string()))?;
                }
                Kind::Json => {
                    // Exactly one JSON value, so a cell cannot add members to the row object.
                    if serde_json::from_slice::<serde::de::IgnoredAny>(text).is_err() {
                        return Err(ApiError::new(
                            "malformed-json",
                            format!("column {:?}: cell is not one JSON value", column.name),
                            Some(column.name.to_owned()),
                        ));
                    }
                    self.buf.extend_from_slice(text);
                }
            }
        }
        self.buf.push(b'}');
        Ok(())
    }

    /// The row's JSON bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        "batch-too-large",
        "a result column exceeds 2 GiB; pass smaller batches",
        None,
    )
}

fn push_bit(bitmap: &mut Vec<u8>, index: usize, set: bool) {
    if index.is_multiple_of(8) {
        bitmap.push(0);
    }
    if set {
        if let Some(last) = bitmap.last_mut() {
            *last |= 1 << (index % 8);
        }
    }
}

/// An Arrow `string` column (int32 offsets) being built.
#[derive(Debug)]
pub struct StrCol {
    /// Validity bitmap.
    pub validity: Vec<u8>,
    /// Little-endian int32 offsets, one more than rows.
    pub offsets: Vec<u8>,
    /// UTF-8 bytes.
    pub data: Vec<u8>,
    /// Null count.
    pub nulls: usize,
    len: usize,
}

impl StrCol {
    /// An empty column with room for `rows`.
    pub fn with_rows(rows: usize) -> StrCol {
        let mut offsets = Vec::with_capacity(rows.saturating_add(1).saturating_mul(4));
        offsets.extend_from_slice(&0i32.to_le_bytes());
        StrCol {
            validity: Vec::with_capacity(rows / 8 + 1),
            offsets,
            data: Vec::new(),
            nulls: 0,
            len: 0,
        }
    }

    /// Appends a value or a null.
    pub fn push(&mut self, value: Option<&[u8]>) -> Result<(), ApiError> {
        push_bit(&mut self.validity, self.len, value.is_some());
        if let Some(bytes) = value {
            self.data.extend_from_slice(bytes);
        } else {
            self.nulls += 1;
        }
        let end = i32::try_from(self.data.len()).map_err(|_| too_large())?;
        self.offsets.extend_from_slice(&end.to_le_bytes());
        self.len += 1;
        Ok(())
    }
}

/// An Arrow `list<string>` column being built.
#[derive(Debug)]
pub struct ListCol {
    /// Validity bitmap of the lists.
    pub validity: Vec<u8>,
    /// Little-endian int32 list offsets.
    pub offsets: Vec<u8>,
    /// The strings.
    pub child: StrCol,
    /// Null lists.
    pub nulls: usize,
    len: usize,
    items: usize,
}

impl ListCol {
    /// An empty column with room for `rows`.
    pub fn with_rows(rows: usize) -> ListCol {
        let mut offsets = Vec::with_capacity(rows.saturating_add(1).saturating_mul(4));
        offsets.extend_from_slice(&0i32.to_le_bytes());
        ListCol {
            validity: Vec::with_capacity(rows / 8 + 1),
            offsets,
            child: StrCol::with_rows(rows),
            nulls: 0,
            len: 0,
            items: 0,
        }
    }

    /// Appends one non-null list of `items`.
    pub fn push_strs<'s>(&mut self, items: impl Iterator<Item = &'s str>) -> Result<(), ApiError> {
        push_bit(&mut self.validity, self.len, true);
        for item in items {
            self.child.push(Some(item.as_bytes()))?;
            self.items += 1;
        }
        let end = i32::try_from(self.items).map_err(|_| too_large())?;
        self.offsets.extend_from_slice(&end.to_le_bytes());
        self.len += 1;
        Ok(())
    }

    /// Appends a list or a null.
    pub fn push(&mut self, value: Option<&[String]>) -> Result<(), ApiError> {
        push_bit(&mut self.validity, self.len, value.is_some());
        match value {
            Some(items) => {
                for item in items {
                    self.child.push(Some(item.as_bytes()))?;
                }
                self.items += items.len();
            }
            None => self.nulls += 1,
        }
        let end = i32::try_from(self.items).map_err(|_| too_large())?;
        self.offsets.extend_from_slice(&end.to_le_bytes());
        self.len += 1;
        Ok(())
    }
}

/// An Arrow `bool` column being built.
#[derive(Debug)]
pub struct BoolCol {
    /// Validity bitmap.
    pub validity: Vec<u8>,
    /// Value bitmap.
    pub values: Vec<u8>,
    /// Null count.
    pub nulls: usize,
    len: usize,
}

impl BoolCol {
    /// An empty column with room for `rows`.
    pub fn with_rows(rows: usize) -> BoolCol {
        BoolCol {
            validity: Vec::with_capacity(rows / 8 + 1),
            values: Vec::with_capacity(rows / 8 + 1),
            nulls: 0,
            len: 0,
        }
    }

    /// Appends a value or a null.
    pub fn push(&mut self, value: Option<bool>) {
        push_bit(&mut self.validity, self.len, value.is_some());
        push_bit(&mut self.values, self.len, value == Some(true));
        if value.is_none() {
            self.nulls += 1;
        }
        self.len += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(ends: &[i64]) -> Vec<u8> {
        ends.iter().flat_map(|e| e.to_le_bytes()).collect()
    }

    #[test]
    fn rows_skip_nulls_and_escape_text() {
        let name_off = offsets(&[0, 3, 3, 7]);
        let age_off = offsets(&[0, 2, 4, 6]);
        let validity = [0b101u8];
        let names = Column::new("name", 1, Some(&validity), &name_off, b"A\"bcdef", 0);
        let ages = Column::new("age", 0, None, &age_off, b"3140-1", 0);
        let (Ok(names), Ok(ages)) = (names, ages) else {
            unreachable!("valid kinds")
        };
        let cols = [names, ages];
        let mut row = RowJson::default();
        assert!(row.build(&cols, 0).is_ok());
        assert_eq!(row.bytes(), br#"{"name":"A\"b","age":31}"#);
        assert!(row.build(&cols, 1).is_ok());
        assert_eq!(row.bytes(), br#"{"age":40}"#);
        assert!(row.build(&cols, 2).is_ok());
        assert_eq!(row.bytes(), br#"{"name":"cdef","age":-1}"#);
    }

    #[test]
    fn malformed_buffers_are_typed_errors() {
        let short = offsets(&[0, 99]);
        let col = Column::new("x", 1, None, &short, b"abc", 0);
        let Ok(col) = col else {
            unreachable!("valid kind")
        };
        let mut row = RowJson::default();
        let err = row.build(&[col], 0).err().map(|e| e.code);
        assert_eq!(err.as_deref(), Some("malformed-column"));
        let lit = offsets(&[0, 6]);
        let col = Column::new("x", 0, None, &lit, b"1,\"y\":", 0);
        let Ok(col) = col else {
            unreachable!("valid kind")
        };
        let err = row.build(&[col], 0).err().map(|e| e.code);
        assert_eq!(err.as_deref(), Some("malformed-column"));
        let json = offsets(&[0, 7]);
        let col = Column::new("x", 2, None, &json, b"1,\"y\":2", 0);
        let Ok(col) = col else {
            unreachable!("valid kind")
        };
        let err = row.build(&[col], 0).err().map(|e| e.code);
        assert_eq!(err.as_deref(), Some("malformed-json"));
    }
}
