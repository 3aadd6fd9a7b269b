//! A linear pass over a translated function that shortens paths into returns.
//!
//! - A `Br` whose target is a return instruction becomes that instruction:
//!   the slots the return reads hold the same values at the branch as at the
//!   target, since nothing runs in between.
//! - `Copy { dst: d, src: s }` directly followed by `ReturnSlot { src: d }`
//!   becomes `ReturnSlot { src: s }`. The instruction after it stays, so
//!   branches that target it are unaffected.
//!
//! Instructions are only replaced, never moved, so branch offsets and the
//! source-offset table stay valid.

use crate::ir::{Flow, Instr};

fn is_return(instr: &Instr) -> bool {
    matches!(instr.effect().flow, Flow::Return { .. })
}

pub(super) fn optimize(code: &mut [Instr]) {
    for i in 0..code.len() {
        if let Instr::Br { offset } = code[i] {
            let target = i as i64 + i64::from(offset);
            if let Some(&instr) = usize::try_from(target).ok().and_then(|t| code.get(t))
                && is_return(&instr)
            {
                code[i] = instr;
            }
        }
    }
    for i in 0..code.len() {
        if let Instr::Copy { dst, src } = code[i]
            && let Some(&Instr::ReturnSlot { src: returned }) = code.get(i + 1)
            && returned == dst
        {
            code[i] = Instr::ReturnSlot { src };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Slot;

    #[test]
    fn branches_to_returns_become_returns() {
        let mut code = vec![
            Instr::BrIfNez { cond: Slot(0), offset: 3 },
            Instr::Copy { dst: Slot(1), src: Slot(0) },
            Instr::Br { offset: 2 },
            Instr::Const32 { dst: Slot(1), value: 5 },
            Instr::ReturnSlot { src: Slot(1) },
        ];
        optimize(&mut code);
        assert_eq!(code[2], Instr::ReturnSlot { src: Slot(1) });
        // The copy feeding a return now returns its source directly.
        assert_eq!(code[1], Instr::ReturnSlot { src: Slot(0) });
        assert_eq!(code[3], Instr::Const32 { dst: Slot(1), value: 5 });
    }
}
