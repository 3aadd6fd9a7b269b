//! String building and parsing: SIZE records, in batches of 2000, written as
//! JSON text with `write!` (strings with escapes, integers, floats, nested
//! arrays and objects), parsed back by a recursive-descent parser into a
//! tree, walked for totals, serialized again and compared with the original
//! text; then the same records as CSV lines, split and parsed field by
//! field. Checksum: a fold over each batch's totals and text lengths.

use std::fmt::Write;

use bench_guests::{Rng, fold, print_checksum, size_arg};

#[derive(Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn serialize(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => write!(out, "{i}").unwrap(),
        Value::Float(x) => write!(out, "{x:?}").unwrap(),
        Value::Str(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                serialize(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                serialize(item, out);
            }
            out.push('}');
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.bytes[self.pos]
    }

    fn expect(&mut self, byte: u8) {
        assert_eq!(self.peek(), byte, "at byte {}", self.pos);
        self.pos += 1;
    }

    fn value(&mut self) -> Value {
        match self.peek() {
            b'n' => self.word("null", Value::Null),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'"' => Value::Str(self.string()),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                while self.peek() != b']' {
                    if !items.is_empty() {
                        self.expect(b',');
                    }
                    items.push(self.value());
                }
                self.pos += 1;
                Value::Array(items)
            }
            b'{' => {
                self.pos += 1;
                let mut fields = Vec::new();
                while self.peek() != b'}' {
                    if !fields.is_empty() {
                        self.expect(b',');
                    }
                    let key = self.string();
                    self.expect(b':');
                    fields.push((key, self.value()));
                }
                self.pos += 1;
                Value::Object(fields)
            }
            _ => self.number(),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Value {
        assert!(self.bytes[self.pos..].starts_with(word.as_bytes()));
        self.pos += word.len();
        value
    }

    fn string(&mut self) -> String {
        self.expect(b'"');
        let mut s = String::new();
        loop {
            let start = self.pos;
            while !matches!(self.peek(), b'"' | b'\\') {
                self.pos += 1;
            }
            s.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).unwrap());
            let byte = self.peek();
            self.pos += 1;
            if byte == b'"' {
                return s;
            }
            let escaped = self.peek();
            self.pos += 1;
            match escaped {
                b'n' => s.push('\n'),
                b't' => s.push('\t'),
                b'u' => {
                    let hex = std::str::from_utf8(&self.bytes[self.pos..self.pos + 4]).unwrap();
                    s.push(char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap());
                    self.pos += 4;
                }
                other => s.push(other as char),
            }
        }
    }

    fn number(&mut self) -> Value {
        let start = self.pos;
        while matches!(self.peek(), b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap();
        match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(text.parse().unwrap()),
        }
    }
}

fn record(rng: &mut Rng, i: u64) -> Value {
    let name: String =
        (0..3 + rng.below(10)).map(|_| (b'a' + rng.below(26) as u8) as char).collect();
    let note = match rng.below(4) {
        0 => format!("line one\nline \"two\"\t{i}"),
        1 => format!("c:\\path\\{name}\u{1}"),
        _ => format!("plain note {}", rng.below(1000)),
    };
    let tags =
        (0..rng.below(5)).map(|t| Value::Int(rng.below(100) as i64 - 50 + t as i64)).collect();
    Value::Object(vec![
        ("id".to_string(), Value::Int(i as i64)),
        ("name".to_string(), Value::Str(name)),
        ("score".to_string(), Value::Float((rng.below(2_000_001) as f64 - 1e6) / 1024.0)),
        ("ratio".to_string(), Value::Float(rng.unit_f64())),
        ("active".to_string(), Value::Bool(rng.below(2) == 0)),
        (
            "parent".to_string(),
            if i.is_multiple_of(3) { Value::Null } else { Value::Int(i as i64 / 3) },
        ),
        ("tags".to_string(), Value::Array(tags)),
        ("note".to_string(), Value::Str(note)),
    ])
}

/// Integer and float totals over a parsed tree.
fn totals(value: &Value, acc: &mut (i64, f64, u64)) {
    match value {
        Value::Null | Value::Bool(_) => acc.2 += 1,
        Value::Int(i) => acc.0 = acc.0.wrapping_add(*i),
        Value::Float(x) => acc.1 += x,
        Value::Str(s) => acc.2 += s.len() as u64,
        Value::Array(items) => items.iter().for_each(|v| totals(v, acc)),
        Value::Object(fields) => fields.iter().for_each(|(k, v)| {
            acc.2 += k.len() as u64;
            totals(v, acc)
        }),
    }
}

/// One batch: JSON out and back, then CSV out and back; returns its fold.
fn batch(rng: &mut Rng, first: u64, count: u64) -> u64 {
    let records: Vec<Value> = (first..first + count).map(|i| record(rng, i)).collect();
    let doc = Value::Array(records);
    let mut text = String::new();
    serialize(&doc, &mut text);

    let parsed = Parser { bytes: text.as_bytes(), pos: 0 }.value();
    assert!(parsed == doc, "parse(serialize(doc)) differs from doc");
    let mut again = String::with_capacity(text.len());
    serialize(&parsed, &mut again);
    assert!(again == text, "serialize(parse(text)) differs from text");
    let mut acc = (0i64, 0.0f64, 0u64);
    totals(&parsed, &mut acc);

    // The same records as CSV: id,name,score,ratio,active
    let Value::Array(records) = parsed else { unreachable!() };
    let mut csv = String::new();
    for r in &records {
        let Value::Object(f) = r else { unreachable!() };
        let (
            Value::Int(id),
            Value::Str(name),
            Value::Float(score),
            Value::Float(ratio),
            Value::Bool(active),
        ) = (&f[0].1, &f[1].1, &f[2].1, &f[3].1, &f[4].1)
        else {
            unreachable!()
        };
        writeln!(csv, "{id},{name},{score},{ratio:.6},{}", u8::from(*active)).unwrap();
    }
    let mut csv_ids = 0i64;
    let mut csv_scores = 0.0f64;
    let mut csv_active = 0u64;
    for line in csv.lines() {
        let mut fields = line.split(',');
        csv_ids += fields.next().unwrap().parse::<i64>().unwrap();
        let _name = fields.next().unwrap();
        csv_scores += fields.next().unwrap().parse::<f64>().unwrap();
        let _ratio: f64 = fields.next().unwrap().parse().unwrap();
        csv_active += fields.next().unwrap().parse::<u64>().unwrap();
    }

    let mut checksum = fold(acc.0 as u64, acc.1.to_bits());
    checksum = fold(checksum, acc.2);
    checksum = fold(checksum, text.len() as u64);
    checksum = fold(checksum, csv.len() as u64);
    checksum = fold(checksum, csv_ids as u64 ^ csv_scores.to_bits());
    fold(checksum, csv_active)
}

fn main() {
    const BATCH: u64 = 2000;
    let n = size_arg();
    let mut rng = Rng::new(42);
    let mut checksum = 0;
    for first in (0..n).step_by(BATCH as usize) {
        checksum = fold(checksum, batch(&mut rng, first, BATCH.min(n - first)));
    }
    print_checksum(checksum);
}
