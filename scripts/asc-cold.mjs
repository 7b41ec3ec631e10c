// asc transform (asconfig.json): keeps functions only bad input reaches real functions. At -O3
// binaryen inlines every call to so small a function as fail(), and its ~130 call sites (one per
// rule) then each carry three global stores: out of line they are a call, 0.5 KB less wasm (60 B
// gzipped). lineComplete() (settle(), after a failure) and badTargetByte() (a control byte, DEL
// or a non-ASCII byte in a target) out of line: −37 B gzipped; methodPrefixLength() (an unknown
// method, or a request line cut inside its method), inlined at its two calls: −45 B. Valid input
// parses as before. Helpers on its path are not for here: requestLineEnd() out of line would
// save 80 B gzipped and needsEof() 30 B more, but the two cost +60 instructions (+4%) per small
// request.
import binaryen from 'binaryen';

const COLD = ['assembly/http/fail', 'assembly/http/lineComplete', 'assembly/http/badTargetByte', 'assembly/tables/methodPrefixLength'];

export default class {
  afterCompile(module) {
    for (const name of COLD) {
      binaryen.setPassArgument('no-inline', name);
      module.runPasses(['no-inline']);
    }
    binaryen.clearPassArguments();
  }
}
