#pragma once
// Heads from a websocket while it works, from HTTP polling while it does not.
// The websocket runs on its own thread (HeadSourceThread), so connecting to a
// hung or dead endpoint never holds up a round: while the socket is down the
// caller polls HTTP, exactly as without a websocket. While it is up but quiet,
// HTTP is still asked for the latest block every `check_interval`, so a
// socket that stopped delivering (a stalled node or proxy behind it) delays a
// round by at most that much, never by a whole read timeout.
//
// Heads are not repeated: one already returned (by either way) is skipped.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chain/head_source_thread.hpp"
#include "chain/subscription.hpp"

namespace keeper::chain {

class FallbackHeadSource final : public HeadSource {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    // `trouble`: the websocket went down or missed a block (a warning), else news.
    using Note = std::function<void(bool trouble, const std::string& line)>;

    // `polling` must not block longer than the timeout it is given (PollingHeadSource).
    // `note` hears each switch between the two ("websocket heads down (...)").
    FallbackHeadSource(std::unique_ptr<HeadSourceThread> websocket, std::unique_ptr<HeadSource> polling,
                       std::chrono::milliseconds check_interval, Note note = {}, Clock now = {});
    ~FallbackHeadSource() override;

    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds timeout) override;
    std::string_view kind() const override { return "websocket"; }

    // The last call relied on HTTP polling (the websocket was not live).
    bool polling() const { return polling_now_; }

private:
    // `head` unless it was returned before.
    std::optional<BlockHeader> fresh(BlockHeader head);
    void tell_switches(bool live);
    Result<std::optional<BlockHeader>> poll(std::chrono::milliseconds timeout);

    enum class State { connecting, live, down };

    std::unique_ptr<HeadSourceThread> websocket_;
    std::unique_ptr<HeadSource> polling_source_;
    std::chrono::milliseconds check_interval_;
    Note note_;
    Clock now_;
    std::optional<Bytes32> last_hash_;
    std::chrono::steady_clock::time_point next_check_{};
    bool started_ = false;
    State state_ = State::connecting;
    bool polling_now_ = true;  // until the socket is up (connecting happens on its thread)
    bool told_quiet_ = false;
    unsigned http_first_in_a_row_ = 0;  // heads HTTP had before the socket
};

}  // namespace keeper::chain
