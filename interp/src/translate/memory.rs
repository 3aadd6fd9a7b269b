//! Linear memory, table and reference operators.
//!
//! Memory 0 with 32-bit addresses is the hot case: its loads, stores and bulk
//! operations are the instructions that use the executor's cache of memory 0,
//! unchanged by the proposals that came later. Every other memory (another
//! index, 64-bit addresses, a custom page size for `memory.size` and
//! `memory.grow`) gets the `*Mem` family, which names its memory and address
//! width. Tables with 64-bit indices narrow each index and length to 32 bits
//! first ([`Instr::NarrowIndex64`]) and reuse the table instructions.

use super::FuncTranslator;
use super::stack::{Const, Operand};
use crate::ir::{Instr, Mem, Slot};

/// The constructors of one kind of load: from memory 0 at `addr + offset`,
/// at a fused sum or displacement (see [`Address`]), and from any memory.
struct Load {
    plain: fn(Slot, Slot, u32) -> Instr,
    sum: fn(Slot, Slot, Slot, u32) -> Instr,
    disp: fn(Slot, Slot, i32) -> Instr,
    mem: fn(Slot, Slot, Mem) -> Instr,
}

/// The constructors of one kind of store: to memory 0 at `addr + offset`, of
/// an immediate, at a fused sum or displacement (see [`Address`]), and to
/// any memory.
struct Store {
    plain: fn(Slot, Slot, u32) -> Instr,
    imm: fn(Slot, i32, u32) -> Instr,
    sum: fn(Slot, Slot, Slot, u32) -> Instr,
    disp: fn(Slot, Slot, i32) -> Instr,
    mem: fn(Slot, Slot, Mem) -> Instr,
}

macro_rules! load {
    ($op:ident, $sum:ident, $disp:ident, $mem:ident) => {
        Load {
            plain: |dst, addr, offset| Instr::$op { dst, addr, offset },
            sum: |dst, lhs, rhs, offset| Instr::$sum { dst, lhs, rhs, offset },
            disp: |dst, base, disp| Instr::$disp { dst, base, disp },
            mem: |dst, addr, mem| Instr::$mem { dst, addr, mem },
        }
    };
}

macro_rules! store {
    ($op:ident, $imm:ident, $sum:ident, $disp:ident, $mem:ident) => {
        Store {
            plain: |addr, value, offset| Instr::$op { addr, value, offset },
            imm: |addr, value, offset| Instr::$imm { addr, value, offset },
            sum: |lhs, rhs, value, offset| Instr::$sum { lhs, rhs, value, offset },
            disp: |base, value, disp| Instr::$disp { base, value, disp },
            mem: |addr, value, mem| Instr::$mem { addr, value, mem },
        }
    };
}

/// Where a memory-0 access takes its address from.
enum Address {
    /// A slot.
    Slot(Slot),
    /// The 32-bit wrapping sum of two slots (a fused `i32.add`).
    Sum(Slot, Slot),
    /// The 32-bit wrapping sum of a slot and a constant (a fused `i32.add`
    /// of a constant, before an access with offset 0).
    Disp(Slot, i32),
}

/// The memory a load or store accesses; `None` for a GC array access.
pub(super) fn memory_of(memarg: &wasmparser::MemArg) -> Option<u32> {
    match memarg.target {
        wasmparser::MemArgTarget::Memory(index) => Some(index),
        wasmparser::MemArgTarget::Array(_) => None,
    }
}

impl FuncTranslator<'_> {
    /// Memory `index` as the operand of a `*Mem` instruction.
    fn mem(&self, index: u32) -> Mem {
        let ty = &self.module.memories[index as usize];
        // The parser rejects modules with more than 256 memories.
        Mem { index: index as u8, addr64: ty.is_64() }
    }

    /// Memory `index` for an access, or `None` for the hot memory 0.
    pub(super) fn accessed(&self, index: u32) -> Option<Mem> {
        let mem = self.mem(index);
        (index != 0 || mem.addr64).then_some(mem)
    }

    /// Memory `index` for `memory.size` and `memory.grow`, or `None` for the
    /// hot memory 0 when it also has 64 KiB pages.
    fn sized(&self, index: u32) -> Option<Mem> {
        let default_pages = self.module.memories[index as usize].page_size_log2()
            == crate::MemoryType::DEFAULT_PAGE_SIZE_LOG2;
        match self.accessed(index) {
            None if default_pages => None,
            _ => Some(self.mem(index)),
        }
    }

    /// Emits the data word of a `*Mem` load or store: its 64-bit offset.
    pub(super) fn emit_offset(&mut self, offset: u64) {
        self.emit(Instr::Data { a: offset as u32, b: (offset >> 32) as u32 });
    }

    /// A load; `false` if `memarg` names no memory (a GC array access, which
    /// validation rejects).
    fn load(&mut self, memarg: &wasmparser::MemArg, load: Load) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        match self.accessed(memory) {
            None => {
                // Validation bounds the offset of a 32-bit memory by u32.
                let offset = memarg.offset as u32;
                match self.pop_address(offset) {
                    Address::Slot(addr) => self.emit_result(|dst| (load.plain)(dst, addr, offset)),
                    Address::Sum(lhs, rhs) => {
                        self.emit_result(|dst| (load.sum)(dst, lhs, rhs, offset))
                    }
                    Address::Disp(base, disp) => {
                        self.emit_result(|dst| (load.disp)(dst, base, disp))
                    }
                }
            }
            Some(mem) => {
                let addr = self.pop_slot();
                self.emit_result(|dst| (load.mem)(dst, addr, mem));
                self.emit_offset(memarg.offset);
            }
        }
        true
    }

    /// Pops the address of a memory-0 load with `offset`, fused with the
    /// `i32.add` that computed it when [`Self::fusable_address`] allows.
    fn pop_address(&mut self, offset: u32) -> Address {
        let depth = self.stack.height() - 1;
        match self.fusable_address(depth, offset) {
            Some(address) => {
                self.unemit_last();
                self.stack.pop();
                address
            }
            None => Address::Slot(self.pop_slot()),
        }
    }

    /// The operands of the `i32.add` that computed the address at `depth`
    /// for an access with `offset`, if it can be fused into the access: it is
    /// the last instruction emitted, it wrote the operand's own temporary (so
    /// nothing else reads its result), and a constant operand needs offset 0.
    /// The caller takes the add back with [`Self::unemit_last`] before it
    /// emits anything else.
    fn fusable_address(&self, depth: u32, offset: u32) -> Option<Address> {
        if self.stack.get(depth) != Operand::Temp {
            return None;
        }
        let i = self.last_result.filter(|&i| i + 1 == self.code.len())?;
        let temp = self.temp_slot(depth);
        match self.code[i] {
            Instr::I32Add { dst, lhs, rhs } if dst == temp => Some(Address::Sum(lhs, rhs)),
            Instr::I32AddImm { dst, lhs, imm } if dst == temp && offset == 0 => {
                Some(Address::Disp(lhs, imm))
            }
            _ => None,
        }
    }

    /// A store; `wide` stores all 64 bits, so only constants that sign-extend
    /// from 32 bits can be immediates. Narrower stores truncate any constant.
    /// `false` if `memarg` names no memory, as for loads.
    fn store(&mut self, memarg: &wasmparser::MemArg, store: Store, wide: bool) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        if let Some(mem) = self.accessed(memory) {
            let value = self.pop_slot();
            let addr = self.pop_slot();
            self.emit((store.mem)(addr, value, mem));
            self.emit_offset(memarg.offset);
            return true;
        }
        let offset = memarg.offset as u32;
        let depth = self.stack.height() - 1;
        match self.stack.get(depth) {
            Operand::Const(c) => {
                let imm = if wide { c.as_imm() } else { Some(c.bits() as u32 as i32) };
                if let Some(imm) = imm {
                    self.stack.pop();
                    let addr = self.pop_slot();
                    self.emit((store.imm)(addr, imm, offset));
                    return true;
                }
            }
            // A value in a local or a temporary is popped without code, so
            // the add computing the address is still the last instruction.
            Operand::Local(_) | Operand::Temp => {
                if let Some(address) = self.fusable_address(depth - 1, offset) {
                    let value = self.pop_slot();
                    self.unemit_last();
                    self.stack.pop();
                    match address {
                        Address::Sum(lhs, rhs) => self.emit((store.sum)(lhs, rhs, value, offset)),
                        Address::Disp(base, disp) => self.emit((store.disp)(base, value, disp)),
                        Address::Slot(addr) => self.emit((store.plain)(addr, value, offset)),
                    };
                    return true;
                }
            }
        }
        let value = self.pop_slot();
        let addr = self.pop_slot();
        self.emit((store.plain)(addr, value, offset));
        true
    }

    /// Pops three operands (top last) and returns their slots in push order.
    fn pop3(&mut self) -> (Slot, Slot, Slot) {
        let c = self.pop_slot();
        let b = self.pop_slot();
        let a = self.pop_slot();
        (a, b, c)
    }

    /// Pops a table index, length or delta; a 64-bit one (`wide`) is narrowed
    /// to 32 bits into its own temporary first.
    pub(super) fn pop_index(&mut self, wide: bool) -> Slot {
        if wide {
            let src = self.pop_slot();
            self.emit_result(|dst| Instr::NarrowIndex64 { dst, src });
        }
        self.pop_slot()
    }

    /// Whether table `index` has 64-bit indices.
    pub(super) fn table64(&self, index: u32) -> bool {
        self.module.tables[index as usize].is_64()
    }

    /// Pops three operands of a table operation (top last), narrowing the
    /// 64-bit ones (`wide`, in push order), and returns their slots in push
    /// order.
    fn pop3_indices(&mut self, wide: [bool; 3]) -> (Slot, Slot, Slot) {
        let c = self.pop_index(wide[2]);
        let b = self.pop_index(wide[1]);
        let a = self.pop_index(wide[0]);
        (a, b, c)
    }

    pub(super) fn visit_ref_is_null(&mut self) {
        if let Operand::Const(c) = self.stack.peek(0) {
            self.stack.pop();
            self.push_const(Const::W32(u32::from(c.bits() == 0)));
            return;
        }
        let src = self.pop_slot();
        self.emit_result(|dst| Instr::RefIsNull { dst, src });
    }

    /// Translates a memory, table or reference operator; returns `false` if
    /// `op` is not one.
    pub(super) fn translate_memory(&mut self, op: &wasmparser::Operator<'_>) -> bool {
        use wasmparser::Operator as O;
        match op {
            O::I32Load { memarg } | O::F32Load { memarg } | O::I64Load32U { memarg } => {
                return self.load(memarg, load!(Load32, Load32Sum, Load32Disp, Load32Mem));
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                return self.load(memarg, load!(Load64, Load64Sum, Load64Disp, Load64Mem));
            }
            O::I32Load8S { memarg } | O::I64Load8S { memarg } => {
                return self.load(memarg, load!(Load8S, Load8SSum, Load8SDisp, Load8SMem));
            }
            O::I32Load8U { memarg } | O::I64Load8U { memarg } => {
                return self.load(memarg, load!(Load8U, Load8USum, Load8UDisp, Load8UMem));
            }
            O::I32Load16S { memarg } | O::I64Load16S { memarg } => {
                return self.load(memarg, load!(Load16S, Load16SSum, Load16SDisp, Load16SMem));
            }
            O::I32Load16U { memarg } | O::I64Load16U { memarg } => {
                return self.load(memarg, load!(Load16U, Load16USum, Load16UDisp, Load16UMem));
            }
            O::I64Load32S { memarg } => {
                return self.load(memarg, load!(Load32S, Load32SSum, Load32SDisp, Load32SMem));
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                return self.store(
                    memarg,
                    store!(Store8, Store8Imm, Store8Sum, Store8Disp, Store8Mem),
                    false,
                );
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                return self.store(
                    memarg,
                    store!(Store16, Store16Imm, Store16Sum, Store16Disp, Store16Mem),
                    false,
                );
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
                return self.store(
                    memarg,
                    store!(Store32, Store32Imm, Store32Sum, Store32Disp, Store32Mem),
                    false,
                );
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                return self.store(
                    memarg,
                    store!(Store64, Store64Imm, Store64Sum, Store64Disp, Store64Mem),
                    true,
                );
            }
            O::MemorySize { mem } => match self.sized(*mem) {
                None => self.emit_result(|dst| Instr::MemorySize { dst }),
                Some(mem) => self.emit_result(|dst| Instr::MemorySizeMem { dst, mem }),
            },
            O::MemoryGrow { mem } => {
                let delta = self.pop_slot();
                match self.sized(*mem) {
                    None => self.emit_result(|dst| Instr::MemoryGrow { dst, delta }),
                    Some(mem) => self.emit_result(|dst| Instr::MemoryGrowMem { dst, delta, mem }),
                }
            }
            O::MemoryFill { mem } => {
                let (dst, value, len) = self.pop3();
                match self.accessed(*mem) {
                    None => self.emit(Instr::MemoryFill { dst, value, len }),
                    Some(mem) => self.emit(Instr::MemoryFillMem { dst, value, len, mem }),
                };
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
                if self.accessed(*dst_mem).is_none() && self.accessed(*src_mem).is_none() {
                    self.emit(Instr::MemoryCopy { dst, src, len });
                } else {
                    let (dst_mem, src_mem) = (self.mem(*dst_mem), self.mem(*src_mem));
                    self.emit(Instr::MemoryCopyMem { dst, src, len, dst_mem, src_mem });
                }
            }
            O::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3();
                match self.accessed(*mem) {
                    None => {
                        self.emit(Instr::MemoryInit { dst, src, len, data: *data_index });
                    }
                    Some(mem) => {
                        self.emit(Instr::MemoryInitMem { dst, src, len, mem });
                        self.emit(Instr::Data { a: *data_index, b: 0 });
                    }
                }
            }
            O::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: *data_index });
            }
            O::TableGet { table } => {
                let index = self.pop_index(self.table64(*table));
                let table = *table;
                self.emit_result(|dst| Instr::TableGet { dst, index, table });
            }
            O::TableSet { table } => {
                let value = self.pop_slot();
                let index = self.pop_index(self.table64(*table));
                self.emit(Instr::TableSet { index, value, table: *table });
            }
            O::TableSize { table } => {
                // The size, zero-extended, is also the right `i64`.
                let table = *table;
                self.emit_result(|dst| Instr::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let wide = self.table64(*table);
                let delta = self.pop_index(wide);
                let init = self.pop_slot();
                let table = *table;
                self.emit_result(|dst| Instr::TableGrow { dst, init, delta, table });
                if wide {
                    // The old size (below 2^31) or -1, as an `i64`.
                    let src = self.pop_slot();
                    self.emit_result(|dst| Instr::I64Extend32S { dst, src });
                }
            }
            O::TableFill { table } => {
                let wide = self.table64(*table);
                let (dst, value, len) = self.pop3_indices([wide, false, wide]);
                self.emit(Instr::TableFill { dst, value, len, table: *table });
            }
            O::TableCopy { dst_table, src_table } => {
                let (dst64, src64) = (self.table64(*dst_table), self.table64(*src_table));
                let (dst, src, len) = self.pop3_indices([dst64, src64, dst64 && src64]);
                // Validation bounds table indices far below 2^16.
                let (dst_table, src_table) = (*dst_table as u16, *src_table as u16);
                self.emit(Instr::TableCopy { dst, src, len, dst_table, src_table });
            }
            O::TableInit { elem_index, table } => {
                let wide = self.table64(*table);
                let (dst, src, len) = self.pop3_indices([wide, false, false]);
                self.emit(Instr::TableInit { dst, src, len, elem: *elem_index });
                self.emit(Instr::Data { a: *table, b: 0 });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: *elem_index });
            }
            _ => return false,
        }
        true
    }
}
