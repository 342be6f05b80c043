/* opcodes.c — the opcode name table (opcodes.h), for the disassembler and
 * the VM's diagnostics. */
#include "opcodes.h"

const char *const py_opcode_names[OP__COUNT] = {
#define PY_OP_NAME(name) #name,
    PY_OPCODES(PY_OP_NAME)
#undef PY_OP_NAME
};
