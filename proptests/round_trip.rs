//! Property 1, model round trip: for every public model type,
//! `from_slice(to_vec(x)) == x`; and a frame's bytes are a fixed point of
//! parse-then-serialize.

use proptest::prelude::*;
use realtime_harness::audio::{
    AudioFormat, AudioFormatType, AudioTranscription, CustomVoice, NoiseReduction,
    NoiseReductionType, TranscriptionDelay, Voice,
};
use realtime_harness::content::{
    AssistantContent, AssistantContentType, SystemContent, SystemContentType, UserContent,
    UserContentType, UserImageDetail,
};
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::generation::{
    IncludeItem, MaxOutputTokens, Modality, Reasoning, ReasoningEffort,
};
use realtime_harness::item::{
    AssistantMessage, ConversationItem, FunctionCallItem, FunctionCallOutputItem, ItemObject,
    ItemReference, ItemStatus, MessageItem, SystemMessage, UserMessage,
};
use realtime_harness::mcp_item::{
    McpApprovalRequestItem, McpApprovalResponseItem, McpCallError, McpCallItem, McpCodedError,
    McpListToolsItem, McpListedTool, McpToolExecutionError,
};
use realtime_harness::prompt::{
    BreakpointMode, FileDetail, ImageDetail, InputContent, InputFileContent, InputImageContent,
    InputTextContent, Prompt, PromptCacheBreakpoint, PromptVariable,
};
use realtime_harness::response::{
    RealtimeResponseCreateParams, ResponseAudioConfig, ResponseAudioOutput,
};
use realtime_harness::session::{
    AudioInput, AudioOutput, RealtimeAudioConfig, RealtimeSessionConfig, SessionConfig,
    TranscriptionAudioConfig, TranscriptionSessionConfig,
};
use realtime_harness::tool_choice::{
    ForcedTool, ToolChoice, ToolChoiceFunction, ToolChoiceMcp, ToolChoiceMode,
};
use realtime_harness::tools::{
    AllowedCaller, FunctionTool, FunctionToolType, McpAllowedTools, McpApprovalFilter,
    McpApprovalSetting, McpConnector, McpRequireApproval, McpTool, McpToolFilter, RealtimeTool,
};
use realtime_harness::tracing::{Tracing, TracingConfig};
use realtime_harness::truncation::{
    RetentionRatioTruncation, RetentionRatioType, TokenLimits, Truncation, TruncationStrategy,
};
use realtime_harness::turn_detection::{Eagerness, SemanticVad, ServerVad, TurnDetection};
use realtime_harness::{Base64Audio, ClientEvent, Nullable, RealtimeClientEvent};

use crate::bridge::arbitrary;

/// `event` of either family writes the same bytes through `to_vec` and
/// `to_json`, and those bytes parse back to it; returns the parsed event.
pub fn round_trips<E: FrameEvent>(event: &E) -> Result<E, TestCaseError> {
    let bytes = event.to_vec();
    prop_assert_eq!(event.to_json().into_bytes(), bytes.clone());
    let back = E::from_slice(&bytes);
    prop_assert_eq!(
        back.as_ref(),
        Ok(event),
        "frame: {}",
        String::from_utf8_lossy(&bytes)
    );
    Ok(back.expect("compared equal to the event"))
}

proptest! {
    #![proptest_config(suite_config!("round_trip"))]

    #[test]
    fn client_event(event in arbitrary::<ClientEvent>()) {
        round_trips(&event)?;
    }

    #[test]
    fn client_event_bytes_are_a_fixed_point(event in arbitrary::<ClientEvent>()) {
        let bytes = event.to_vec();
        let again = ClientEvent::from_slice(&bytes).map(|e| e.to_vec());
        prop_assert_eq!(again.as_deref(), Ok(&bytes[..]), "frame: {}", String::from_utf8_lossy(&bytes));
    }
}

/// One named round-trip test per type, through `serde_json`.
macro_rules! round_trips {
    ($( $name:ident : $ty:ty ),* $(,)?) => {
        proptest! {
            #![proptest_config(suite_config!("round_trip"))]
            $(
                #[test]
                fn $name(value in arbitrary::<$ty>()) {
                    let bytes = serde_json::to_vec(&value).expect("model values serialize");
                    let back = serde_json::from_slice::<$ty>(&bytes).map_err(|e| e.to_string());
                    prop_assert_eq!(back.as_ref(), Ok(&value), "json: {}", String::from_utf8_lossy(&bytes));
                }
            )*
        }
    };
}

round_trips! {
    realtime_client_event: RealtimeClientEvent,
    base64_audio: Base64Audio,
    // session
    session_config: SessionConfig,
    realtime_session_config: RealtimeSessionConfig,
    transcription_session_config: TranscriptionSessionConfig,
    realtime_audio_config: RealtimeAudioConfig,
    transcription_audio_config: TranscriptionAudioConfig,
    audio_input: AudioInput,
    audio_output: AudioOutput,
    // audio
    audio_format: AudioFormat,
    audio_format_type: AudioFormatType,
    voice: Voice,
    custom_voice: CustomVoice,
    audio_transcription: AudioTranscription,
    transcription_delay: TranscriptionDelay,
    noise_reduction: NoiseReduction,
    noise_reduction_type: NoiseReductionType,
    // turn detection, tracing, truncation
    turn_detection: TurnDetection,
    server_vad: ServerVad,
    semantic_vad: SemanticVad,
    eagerness: Eagerness,
    tracing: Tracing,
    tracing_config: TracingConfig,
    truncation: Truncation,
    truncation_strategy: TruncationStrategy,
    retention_ratio_truncation: RetentionRatioTruncation,
    retention_ratio_type: RetentionRatioType,
    token_limits: TokenLimits,
    // tools
    realtime_tool: RealtimeTool,
    function_tool: FunctionTool,
    function_tool_type: FunctionToolType,
    mcp_tool: McpTool,
    mcp_connector: McpConnector,
    allowed_caller: AllowedCaller,
    mcp_tool_filter: McpToolFilter,
    mcp_allowed_tools: McpAllowedTools,
    mcp_require_approval: McpRequireApproval,
    mcp_approval_setting: McpApprovalSetting,
    mcp_approval_filter: McpApprovalFilter,
    tool_choice: ToolChoice,
    tool_choice_mode: ToolChoiceMode,
    forced_tool: ForcedTool,
    tool_choice_function: ToolChoiceFunction,
    tool_choice_mcp: ToolChoiceMcp,
    // prompt
    prompt: Prompt,
    nullable_prompt: Nullable<Prompt>,
    prompt_variable: PromptVariable,
    input_content: InputContent,
    input_text_content: InputTextContent,
    input_image_content: InputImageContent,
    input_file_content: InputFileContent,
    prompt_cache_breakpoint: PromptCacheBreakpoint,
    breakpoint_mode: BreakpointMode,
    image_detail: ImageDetail,
    file_detail: FileDetail,
    // items
    conversation_item: ConversationItem,
    message_item: MessageItem,
    system_message: SystemMessage,
    user_message: UserMessage,
    assistant_message: AssistantMessage,
    function_call_item: FunctionCallItem,
    function_call_output_item: FunctionCallOutputItem,
    item_reference: ItemReference,
    item_object: ItemObject,
    item_status: ItemStatus,
    system_content: SystemContent,
    system_content_type: SystemContentType,
    user_content: UserContent,
    user_content_type: UserContentType,
    user_image_detail: UserImageDetail,
    assistant_content: AssistantContent,
    assistant_content_type: AssistantContentType,
    // MCP items
    mcp_approval_response_item: McpApprovalResponseItem,
    mcp_list_tools_item: McpListToolsItem,
    mcp_listed_tool: McpListedTool,
    mcp_call_item: McpCallItem,
    mcp_approval_request_item: McpApprovalRequestItem,
    mcp_call_error: McpCallError,
    mcp_coded_error: McpCodedError,
    mcp_tool_execution_error: McpToolExecutionError,
    // response and generation controls
    realtime_response_create_params: RealtimeResponseCreateParams,
    response_audio_config: ResponseAudioConfig,
    response_audio_output: ResponseAudioOutput,
    modality: Modality,
    max_output_tokens: MaxOutputTokens,
    reasoning: Reasoning,
    reasoning_effort: ReasoningEffort,
    include_item: IncludeItem,
}
