//! Engine-neutral values: what the oracles pass to both engines and compare.
//!
//! Floats are kept as bit patterns so that comparison is bit for bit (NaN
//! payloads included); references are described by what both engines can
//! agree on (see [`FuncId`]). Arguments are drawn from the fuzz input by
//! [`arbitrary_value`], with a bias towards boundary values.

use std::fmt;

use arbitrary::{Result, Unstructured};

/// A value type, in the vocabulary shared by both engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
    ExnRef,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::V128 => "v128",
            Type::FuncRef => "funcref",
            Type::ExternRef => "externref",
            Type::ExnRef => "exnref",
        })
    }
}

/// A function's parameter and result types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    pub params: Vec<Type>,
    pub results: Vec<Type>,
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        write_list(f, &self.params)?;
        f.write_str(") -> (")?;
        write_list(f, &self.results)?;
        f.write_str(")")
    }
}

/// Which function a non-null `funcref` refers to, in terms both engines share:
/// engines' function handles cannot be compared with each other, but the
/// host function indices and export names that reach a function can.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FuncId {
    /// Host function `i` of the world (see [`crate::engine::host`]).
    Host(usize),
    /// An exported function: the first export name it has, in the module
    /// with this index in the world.
    Export { module: usize, name: String },
    /// The function is neither a host function nor exported, so only its type
    /// can be compared.
    Unexported(Signature),
}

/// A WebAssembly value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    I32(i32),
    I64(i64),
    /// The bits of an `f32`.
    F32(u32),
    /// The bits of an `f64`.
    F64(u64),
    /// The bits of a `v128`, lane 0 in the least significant bits.
    V128(u128),
    FuncRef(Option<FuncId>),
    /// A host reference; the oracle makes every non-null one with a distinct
    /// `u32` payload, which is what is compared.
    ExternRef(Option<u32>),
    /// An exception reference, compared by its payload (only interp, which
    /// runs exception handling, makes them; arguments are always null).
    ExnRef(Option<Vec<Value>>),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> Type {
        match self {
            Value::I32(_) => Type::I32,
            Value::I64(_) => Type::I64,
            Value::F32(_) => Type::F32,
            Value::F64(_) => Type::F64,
            Value::V128(_) => Type::V128,
            Value::FuncRef(_) => Type::FuncRef,
            Value::ExternRef(_) => Type::ExternRef,
            Value::ExnRef(_) => Type::ExnRef,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "i32:{v}"),
            Value::I64(v) => write!(f, "i64:{v}"),
            Value::F32(bits) => {
                write_float(f, "f32", f64::from(f32::from_bits(*bits)), *bits as u64)
            }
            Value::F64(bits) => write_float(f, "f64", f64::from_bits(*bits), *bits),
            Value::V128(bits) => write!(f, "v128:{bits:#034x}"),
            Value::FuncRef(None) => f.write_str("funcref:null"),
            Value::FuncRef(Some(FuncId::Host(i))) => write!(f, "funcref:host#{i}"),
            Value::FuncRef(Some(FuncId::Export { module, name })) => {
                write!(f, "funcref:{module}.{name:?}")
            }
            Value::FuncRef(Some(FuncId::Unexported(sig))) => {
                write!(f, "funcref:<unexported {sig}>")
            }
            Value::ExternRef(None) => f.write_str("externref:null"),
            Value::ExternRef(Some(payload)) => write!(f, "externref:{payload}"),
            Value::ExnRef(None) => f.write_str("exnref:null"),
            Value::ExnRef(Some(payload)) => write!(f, "exnref:[{}]", display_values(payload)),
        }
    }
}

/// Floats print their value and, where the value hides bits (NaN payloads,
/// the sign of zero aside), their bit pattern.
fn write_float(f: &mut fmt::Formatter<'_>, ty: &str, value: f64, bits: u64) -> fmt::Result {
    if value.is_nan() { write!(f, "{ty}:nan(bits {bits:#x})") } else { write!(f, "{ty}:{value:?}") }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[impl fmt::Display]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// Formats a list of values as `a, b, c`.
pub fn display_values(values: &[Value]) -> String {
    struct List<'a>(&'a [Value]);
    impl fmt::Display for List<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_list(f, self.0)
        }
    }
    List(values).to_string()
}

/// Integers at and around the boundaries that arithmetic, shifts (counts of
/// 32 and more), memory addressing (page edges) and conversions care about.
pub(crate) const INTERESTING_I64: &[i64] = &[
    0,
    1,
    -1,
    2,
    -2,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    48,
    63,
    64,
    65,
    96,
    127,
    128,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0xfff8,
    0xfffc,
    0x1_0000,
    0x1_0001,
    0x1_fffc,
    0x2_0000,
    i8::MIN as i64,
    i16::MIN as i64,
    i32::MAX as i64,
    i32::MIN as i64,
    i32::MIN as i64 + 1,
    i32::MAX as i64 - 1,
    u32::MAX as i64,
    u32::MAX as i64 - 3,
    1 << 32,
    (1 << 32) + 1,
    i64::MAX,
    i64::MIN,
    i64::MIN + 1,
    i64::MAX - 1,
];

/// `f32` bit patterns: zeros, ones, infinities, NaNs with several payloads and
/// signs, subnormals, and the edges of the float-to-int conversion ranges.
pub(crate) const INTERESTING_F32: &[u32] = &[
    0x0000_0000, // +0
    0x8000_0000, // -0
    0x3f80_0000, // 1
    0xbf80_0000, // -1
    0x3f00_0000, // 0.5
    0xbf00_0000, // -0.5
    0x3fc0_0000, // 1.5
    0x4020_0000, // 2.5
    0x7f80_0000, // +inf
    0xff80_0000, // -inf
    0x7fc0_0000, // canonical NaN
    0xffc0_0000, // negative canonical NaN
    0x7fc0_0001, // quiet NaN with a payload
    0x7fa0_0000, // arithmetic NaN with a payload
    0x7f80_0001, // signalling NaN
    0xff80_0001, // negative signalling NaN
    0x7fff_ffff, // NaN, all payload bits
    0xffff_ffff, // negative NaN, all payload bits
    0x0000_0001, // smallest subnormal
    0x8000_0001, // smallest negative subnormal
    0x007f_ffff, // largest subnormal
    0x0080_0000, // smallest normal
    0x7f7f_ffff, // largest finite
    0xff7f_ffff, // most negative finite
    0x4f00_0000, // 2^31
    0xcf00_0000, // -2^31
    0xcf00_0001, // just below -2^31
    0x4eff_ffff, // just below 2^31
    0x4f80_0000, // 2^32
    0x4f7f_ffff, // just below 2^32
    0x5f00_0000, // 2^63
    0xdf00_0000, // -2^63
    0x5f80_0000, // 2^64
];

/// `f64` bit patterns, as for [`INTERESTING_F32`].
pub(crate) const INTERESTING_F64: &[u64] = &[
    0x0000_0000_0000_0000,
    0x8000_0000_0000_0000,
    0x3ff0_0000_0000_0000,
    0xbff0_0000_0000_0000,
    0x3fe0_0000_0000_0000,
    0xbfe0_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0x4004_0000_0000_0000,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0000,
    0x7ff8_0000_0000_0001,
    0x7ff4_0000_0000_0000,
    0x7ff0_0000_0000_0001,
    0xfff0_0000_0000_0001,
    0x7fff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
    0x0000_0000_0000_0001,
    0x8000_0000_0000_0001,
    0x000f_ffff_ffff_ffff,
    0x0010_0000_0000_0000,
    0x7fef_ffff_ffff_ffff,
    0xffef_ffff_ffff_ffff,
    0x41e0_0000_0000_0000, // 2^31
    0xc1e0_0000_0000_0000, // -2^31
    0xc1e0_0000_0020_0000, // -2^31 - 1
    0xc1df_ffff_ffff_ffff, // just above -2^31
    0x41df_ffff_ffc0_0000, // 2^31 - 1
    0x41e0_0000_0000_0001, // just above 2^31
    0x41f0_0000_0000_0000, // 2^32
    0x41ef_ffff_ffe0_0000, // 2^32 - 1
    0x43e0_0000_0000_0000, // 2^63
    0xc3e0_0000_0000_0000, // -2^63
    0x43df_ffff_ffff_ffff, // just below 2^63
    0x43f0_0000_0000_0000, // 2^64
];

/// What argument generation needs to know about the instances being called.
#[derive(Debug, Clone, Default)]
pub struct ArgContext {
    /// The exported functions a `funcref` argument may name: (module, name).
    pub funcs: Vec<(usize, String)>,
    /// The current byte size of every exported memory, for addresses at and
    /// around their ends.
    pub memory_bytes: Vec<u64>,
    /// The payload of the next non-null `externref`, incremented on use so
    /// that every host reference is distinct.
    pub next_extern: u32,
}

/// Draws an argument of type `ty` from the fuzz input: half the time an edge
/// value (for integers, one time in four an address at or around the end of
/// an exported memory), otherwise arbitrary bits. A `funcref` is null or one
/// of `cx.funcs`; a non-null `externref` gets a fresh payload.
///
/// # Errors
///
/// Never in practice: an exhausted input yields zeros.
pub fn arbitrary_value(u: &mut Unstructured<'_>, ty: Type, cx: &mut ArgContext) -> Result<Value> {
    let interesting = u.arbitrary::<bool>()?;
    Ok(match ty {
        Type::I32 if interesting => Value::I32(edge_integer(u, cx)? as i32),
        Type::I32 => Value::I32(u.arbitrary()?),
        Type::I64 if interesting => Value::I64(edge_integer(u, cx)?),
        Type::I64 => Value::I64(u.arbitrary()?),
        Type::F32 if interesting => Value::F32(*u.choose(INTERESTING_F32)?),
        Type::F32 => Value::F32(u.arbitrary()?),
        Type::F64 if interesting => Value::F64(*u.choose(INTERESTING_F64)?),
        Type::F64 => Value::F64(u.arbitrary()?),
        Type::V128 if interesting => Value::V128(edge_v128(u, cx)?),
        Type::V128 => Value::V128(u.arbitrary()?),
        Type::FuncRef => {
            if cx.funcs.is_empty() || !interesting {
                Value::FuncRef(None)
            } else {
                let (module, name) = u.choose(&cx.funcs)?.clone();
                Value::FuncRef(Some(FuncId::Export { module, name }))
            }
        }
        Type::ExternRef => {
            if interesting {
                let payload = cx.next_extern;
                cx.next_extern += 1;
                Value::ExternRef(Some(payload))
            } else {
                Value::ExternRef(None)
            }
        }
        // The host cannot make an exception without a tag: always null.
        Type::ExnRef => Value::ExnRef(None),
    })
}

/// A vector of edge values: every lane of one shape (8-, 16-, 32- or 64-bit
/// integers, `f32` or `f64`) drawn from the edge values of its type, so that
/// saturation, narrowing, comparisons and NaN handling meet their boundaries
/// in every lane.
fn edge_v128(u: &mut Unstructured<'_>, cx: &ArgContext) -> Result<u128> {
    let shape = u.int_in_range(0..=5u8)?;
    let mut bits = 0u128;
    let (lanes, width) = match shape {
        0 => (16, 8),
        1 => (8, 16),
        2 | 4 => (4, 32),
        _ => (2, 64),
    };
    for lane in 0..lanes {
        let value = match shape {
            4 => u128::from(*u.choose(INTERESTING_F32)?),
            5 => u128::from(*u.choose(INTERESTING_F64)?),
            _ => edge_integer(u, cx)? as u64 as u128,
        };
        let mask = if width == 64 { u128::from(u64::MAX) } else { (1u128 << width) - 1 };
        bits |= (value & mask) << (lane * width);
    }
    Ok(bits)
}

/// An edge integer: from [`INTERESTING_I64`], or an address just below, at or
/// just past the end of an exported memory.
fn edge_integer(u: &mut Unstructured<'_>, cx: &ArgContext) -> Result<i64> {
    if !cx.memory_bytes.is_empty() && u.ratio(1, 4)? {
        let end = *u.choose(&cx.memory_bytes)? as i64;
        let delta = *u.choose(&[-8i64, -4, -2, -1, 0, 1, 4, -65536, 65536])?;
        return Ok(end + delta);
    }
    Ok(*u.choose(INTERESTING_I64)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_display_nan_bits() {
        assert_eq!(Value::F32(0x7fa0_0000).to_string(), "f32:nan(bits 0x7fa00000)");
        assert_eq!(Value::F64(0x8000_0000_0000_0000).to_string(), "f64:-0.0");
        assert_eq!(Value::F32(0x3fc0_0000).to_string(), "f32:1.5");
    }

    #[test]
    fn exhausted_input_gives_zeros() {
        let mut u = Unstructured::new(&[]);
        let mut cx = ArgContext::default();
        assert_eq!(arbitrary_value(&mut u, Type::I64, &mut cx).unwrap(), Value::I64(0));
        assert_eq!(
            arbitrary_value(&mut u, Type::ExternRef, &mut cx).unwrap(),
            Value::ExternRef(None)
        );
    }

    #[test]
    fn arguments_favour_edge_values() {
        // Over many draws, half the integers are edge values, including shift
        // counts of 32 and more and addresses at the end of a memory.
        let data = crate::seed_bytes(1, 64 * 1024);
        let mut u = Unstructured::new(&data);
        let mut cx = ArgContext { memory_bytes: vec![3 * 65536], ..ArgContext::default() };
        let (mut edges, mut shifts, mut ends, mut nans) = (0, 0, 0, 0);
        for _ in 0..2000 {
            let Value::I32(v) = arbitrary_value(&mut u, Type::I32, &mut cx).unwrap() else {
                unreachable!()
            };
            edges += usize::from(INTERESTING_I64.contains(&i64::from(v)));
            shifts += usize::from((32..=127).contains(&v));
            ends += usize::from((3 * 65536 - 8..=3 * 65536 + 4).contains(&v));
            let Value::F64(bits) = arbitrary_value(&mut u, Type::F64, &mut cx).unwrap() else {
                unreachable!()
            };
            nans += usize::from(f64::from_bits(bits).is_nan());
        }
        assert!(
            edges > 600 && shifts > 50 && ends > 50 && nans > 100,
            "{edges} {shifts} {ends} {nans}"
        );
    }

    #[test]
    fn vector_arguments_have_edge_lanes() {
        // Half the vectors are built from edge lanes: many have a NaN lane
        // (as f32x4), many an i8 lane of -128.
        let data = crate::seed_bytes(2, 64 * 1024);
        let mut u = Unstructured::new(&data);
        let mut cx = ArgContext::default();
        let (mut nan_lanes, mut byte_min) = (0, 0);
        for _ in 0..2000 {
            let Value::V128(bits) = arbitrary_value(&mut u, Type::V128, &mut cx).unwrap() else {
                unreachable!()
            };
            let f32s = (0..4).map(|i| f32::from_bits((bits >> (32 * i)) as u32));
            nan_lanes += usize::from(f32s.clone().any(f32::is_nan));
            byte_min += usize::from((0..16).any(|i| (bits >> (8 * i)) as u8 == 0x80));
        }
        assert!(nan_lanes > 200 && byte_min > 200, "{nan_lanes} {byte_min}");
    }
}
