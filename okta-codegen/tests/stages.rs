//! `generate` runs emit and format on several threads; the one-thread stage functions the
//! benchmark times must give exactly the same files.

use std::path::Path;

#[test]
fn threaded_generate_equals_the_one_thread_stages_on_the_real_manifest() {
    // The real manifest: 60-odd files, enough for the threads to interleave.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest");
    let api = okta_codegen::load_api(&manifest).expect("the manifest is valid");
    let threaded = okta_codegen::generate(&api).expect("generates");
    let staged = okta_codegen::format_files(okta_codegen::emit_files(&api)).expect("formats");
    assert!(threaded.len() > 20, "only {} files", threaded.len());
    assert_eq!(
        threaded.iter().map(|f| &f.path).collect::<Vec<_>>(),
        staged.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert!(
        threaded == staged,
        "file contents differ between the two paths"
    );
    // Sorted by path, as `generate` promises.
    assert!(threaded.windows(2).all(|w| w[0].path < w[1].path));
}
