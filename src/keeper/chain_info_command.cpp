#include "keeper/chain_info_command.hpp"

#include <cstdio>
#include <string>
#include <string_view>

#include "chain/rpc_client.hpp"
#include "net/url_redaction.hpp"

namespace keeper::cli {

int chain_info(int argc, char** argv) {
    std::string url;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--rpc" && i + 1 < argc) {
            url = argv[++i];
        } else {
            std::fprintf(stderr, "chain-info: unexpected argument '%s'\nusage: margin-keeper chain-info --rpc URL\n",
                         net::shown_argument(argv[i]).c_str());
            return 2;
        }
    }
    if (url.empty()) {
        std::fprintf(stderr, "usage: margin-keeper chain-info --rpc URL\n");
        return 2;
    }
    auto client = chain::make_http_client(url);
    auto id = client.chain_id();
    if (!id) {
        std::fprintf(stderr, "chain-info: %s\n", id.error().message.c_str());
        return 1;
    }
    auto number = client.block_number();
    if (!number) {
        std::fprintf(stderr, "chain-info: %s\n", number.error().message.c_str());
        return 1;
    }
    auto head = client.get_block_header(chain::BlockId::number(*number));
    if (!head || !head->has_value()) {
        std::fprintf(stderr, "chain-info: %s\n", head ? "head block not found" : head.error().message.c_str());
        return 1;
    }
    const chain::BlockHeader& h = **head;
    std::printf("rpc:          %s\n", net::redact_url(url).c_str());
    std::printf("chain id:     %llu\n", static_cast<unsigned long long>(*id));
    std::printf("block number: %llu\n", static_cast<unsigned long long>(*number));
    std::printf("block hash:   %s\n", h.hash.hex().c_str());
    std::printf("timestamp:    %llu\n", static_cast<unsigned long long>(h.timestamp));
    std::printf("base fee:     %s wei\n", h.base_fee_per_gas ? h.base_fee_per_gas->to_dec().c_str() : "none (pre-London)");
    return 0;
}

}  // namespace keeper::cli
