use super::*;

#[test]
fn parses_both_placement_messages() {
    assert_eq!(
        parse_placement("All nodes placed on [CPUExecutionProvider]. Number of nodes: 2415"),
        Some(("CPUExecutionProvider".into(), 2415))
    );
    assert_eq!(
        parse_placement(" Node(s) placed on [CUDAExecutionProvider]. Number of nodes: 12"),
        Some(("CUDAExecutionProvider".into(), 12))
    );
    assert_eq!(parse_placement("Some other message"), None);
}
