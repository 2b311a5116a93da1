// espeak-ng is linked from the system (Debian's libespeak-ng-dev, pinned at 1.51 by
// scripts/setup); its G2P output is what the token fixtures were made against.
fn main() {
    println!("cargo:rustc-link-lib=dylib=espeak-ng");
    println!("cargo:rerun-if-changed=build.rs");
}
