#include "protocols/action.hpp"

namespace keeper::protocols {

std::string_view to_string(ActionKind kind) {
    switch (kind) {
        case ActionKind::liquidate: return "liquidate";
        case ActionKind::start_auction: return "start_auction";
        case ActionKind::bid: return "bid";
        case ActionKind::approve: return "approve";
    }
    return "unknown";
}

}  // namespace keeper::protocols
