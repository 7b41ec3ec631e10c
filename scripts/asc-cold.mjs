// asc transform (asconfig.json): keeps the error path's fail() a real function. At -O3 binaryen
// inlines every call to so small a function, and its ~130 call sites (one per rule) then each
// carry three global stores: out of line they are a call, 0.5 KB less wasm (60 B gzipped).
// Only bad input reaches it, so the parse of valid input is unchanged.
import binaryen from 'binaryen';

const COLD = ['assembly/http/fail'];

export default class {
  afterCompile(module) {
    for (const name of COLD) {
      binaryen.setPassArgument('no-inline', name);
      module.runPasses(['no-inline']);
    }
    binaryen.clearPassArguments();
  }
}
