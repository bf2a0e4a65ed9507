//! A tolerant reader of a telegram's data lines (COSEM objects with OBIS
//! codes), for every meter family: DSMR 2.2 to 5, e-MUCS, EasyMeter.
//!
//! A line is `A-B:C.D.E[*F](value[*unit])(...)`. DSMR 2.2/3 put the value of
//! a gas reading on the next line, which starts with `(`: such a line is
//! appended to the object before it. Lines that do not have this shape are
//! skipped, never an error: meters add objects the standards do not list.

use std::fmt;

/// An OBIS code `A-B:C.D.E` (the optional `*F` group is dropped: EasyMeter
/// sends `*255`, which means "not used").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObisCode {
    /// Medium: 0 abstract, 1 electricity.
    pub a: u8,
    /// Channel: 0 the meter itself, 1 to 4 its M-Bus devices.
    pub b: u8,
    /// Quantity.
    pub c: u8,
    /// Processing (instantaneous, total, ...).
    pub d: u8,
    /// Tariff or sub-quantity.
    pub e: u8,
}

impl ObisCode {
    /// The code `a-b:c.d.e`.
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8) -> Self {
        ObisCode { a, b, c, d, e }
    }

    /// Parses `A-B:C.D.E` or `A-B:C.D.E*F`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.split_once('*').map_or(text, |(code, _)| code);
        let (ab, cde) = text.split_once(':')?;
        let (a, b) = ab.split_once('-')?;
        let mut parts = cde.split('.');
        let (c, d, e) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(ObisCode::new(
            a.parse().ok()?,
            b.parse().ok()?,
            c.parse().ok()?,
            d.parse().ok()?,
            e.parse().ok()?,
        ))
    }

    /// The same quantity on M-Bus channel 0 (to match `0-n:...` codes).
    pub const fn on_channel(self, b: u8) -> Self {
        ObisCode { b, ..self }
    }
}

impl fmt::Display for ObisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}:{}.{}.{}", self.a, self.b, self.c, self.d, self.e)
    }
}

/// One parenthesised value, split at its last `*` into number and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CosemValue<'a> {
    /// The text before `*`, or all of it.
    pub text: &'a str,
    /// The unit after `*`, if any (`kWh`, `kW`, `W`, `m3`, `V`, `A`, ...).
    pub unit: Option<&'a str>,
}

impl<'a> CosemValue<'a> {
    fn parse(inner: &'a str) -> Self {
        match inner.rsplit_once('*') {
            Some((text, unit)) => CosemValue {
                text,
                unit: Some(unit),
            },
            None => CosemValue {
                text: inner,
                unit: None,
            },
        }
    }

    /// The value as a number, if it is one (`000123.456`, `-0.5`).
    pub fn number(&self) -> Option<f64> {
        let text = self.text.trim();
        if text.is_empty()
            || !text
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
        {
            return None;
        }
        text.parse().ok()
    }
}

/// One COSEM object: its code, the line as sent, and its values in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosemObject<'a> {
    /// The object's OBIS code.
    pub code: ObisCode,
    /// The line as sent, without CRLF (for `dsmr5`, which parses lines).
    pub line: &'a str,
    /// The parenthesised values, including continuation lines.
    pub values: Vec<CosemValue<'a>>,
}

impl<'a> CosemObject<'a> {
    /// The last value: the reading in `(timestamp)(reading)` objects.
    pub fn last(&self) -> Option<&CosemValue<'a>> {
        self.values.last()
    }
}

/// The objects of a telegram body (the text up to `!`), in order.
pub fn objects(body: &str) -> Vec<CosemObject<'_>> {
    let mut objects: Vec<CosemObject<'_>> = Vec::new();
    // A continuation line belongs to the line right before it, if that was an object.
    let mut continues_object = false;
    // The header line starts with `/` and has no OBIS code; skip it.
    for line in body.lines().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.starts_with('(') {
            if let (true, Some(last)) = (continues_object, objects.last_mut()) {
                last.values.extend(values(line));
            }
            continue;
        }
        let code = line
            .find('(')
            .and_then(|open| Some((open, ObisCode::parse(line[..open].trim())?)));
        continues_object = code.is_some();
        let Some((open, code)) = code else {
            continue;
        };
        objects.push(CosemObject {
            code,
            line,
            values: values(&line[open..]),
        });
    }
    objects
}

/// The `(...)` groups of `text`, which starts at the first `(`.
fn values(text: &str) -> Vec<CosemValue<'_>> {
    text.split('(')
        .skip(1)
        .map(|group| CosemValue::parse(group.split_once(')').map_or(group, |(inner, _)| inner)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easymeter_code_with_star_group_parses() {
        assert_eq!(
            ObisCode::parse("1-0:1.8.0*255"),
            Some(ObisCode::new(1, 0, 1, 8, 0))
        );
    }

    #[test]
    fn dsmr22_gas_value_on_the_next_line_joins_its_object() {
        let body = "/ISk5\r\n\r\n0-1:24.3.0(161107190000)(00)(60)(1)(0-1:24.2.1)(m3)\r\n(00001.001)\r\n0-1:24.4.0(1)\r\n";
        let objs = objects(body);
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].values.len(), 7);
        assert_eq!(objs[0].last().and_then(CosemValue::number), Some(1.001));
        assert_eq!(objs[0].values[5].text, "m3");
    }

    #[test]
    fn value_splits_into_number_and_unit() {
        let objs = objects("/X\r\n\r\n1-0:1.7.0(001688.21*W)\r\n");
        let v = objs[0].values[0];
        assert_eq!((v.number(), v.unit), (Some(1688.21), Some("W")));
    }

    #[test]
    fn lines_without_an_obis_code_are_skipped() {
        let objs = objects("/X\r\n\r\nhello\r\n1-0:x.8.1(1)\r\n()\r\n0-0:96.13.0()\r\n");
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].values[0].number(), None);
    }
}
