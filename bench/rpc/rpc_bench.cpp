// JSON-RPC on loopback against a real anvil that the program starts itself:
//  (a) read throughput: eth_call one per request, 100 per JSON-RPC batch, and
//      100 per aggregate3 through contracts/Multicall.sol (compiled by solc-js
//      at first use, cached in the build dir);
//  (b) what our client stack adds to a round trip: eth_chainId over a raw
//      POSIX socket (HTTP/1.1 keep-alive, hand-written request) vs
//      JsonRpcClient over HttpTransport (libcurl, JSON build/parse, checks).
// Numbers depend on anvil, which dominates; (b) isolates our part.
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain/multicall.hpp"
#include "chain/rpc_client.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace rpc_bench {

using namespace keeper;
using namespace keeper::chain;
using keeper::devnet::AnvilProcess;
using keeper::devnet::dev_accounts;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_rpc: %s\n", what.c_str());
    std::exit(1);
}

// One node and one deployed aggregator for the whole program.
struct Node {
    std::optional<AnvilProcess> anvil;
    Address aggregator;

    static Node& get() {
        static Node node = [] {
            Node n;
            auto started = AnvilProcess::start();
            if (!started) die("anvil: " + started.error().message);
            n.anvil.emplace(std::move(*started));
            auto compiled = keeper::devnet::compile_contract(keeper::devnet::contract_source("Multicall.sol"), "Multicall");
            if (!compiled) die(compiled.error().message);
            auto client = make_http_client(n.anvil->url());
            const auto key = PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value();
            auto deployed = ensure_multicall(client, key, compiled->init_code);
            if (!deployed) die(deployed.error().message);
            n.aggregator = *deployed;
            return n;
        }();
        return node;
    }
};

std::vector<Bytes> balance_calls(std::size_t n) {
    const auto f = abi::parse_function("getEthBalance(address)").value();
    std::vector<Bytes> out;
    for (std::size_t i = 0; i < n; ++i) {
        const abi::Value args[] = {dev_accounts()[i % dev_accounts().size()].address()};
        out.push_back(abi::encode_call(f, args).value());
    }
    return out;
}

void BM_EthCallOnePerRequest(benchmark::State& state) {
    Node& node = Node::get();
    auto client = make_http_client(node.anvil->url());
    CallRequest request;
    request.to = node.aggregator;
    request.data = balance_calls(1)[0];
    for (auto _ : state) {
        auto r = client.eth_call(request);
        if (!r) state.SkipWithError(r.error().message.c_str());
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EthCallOnePerRequest)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_EthCallJsonRpcBatch(benchmark::State& state) {
    Node& node = Node::get();
    auto client = make_http_client(node.anvil->url());
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<RpcCall> calls;
    for (const Bytes& data : balance_calls(n)) {
        CallRequest request;
        request.to = node.aggregator;
        request.data = data;
        calls.push_back(RpcCall{"eth_call", nlohmann::json::array({request.to_json(), "latest"})});
    }
    for (auto _ : state) {
        auto r = client.batch(calls);
        if (!r || r->size() != n || !(*r)[n - 1]) state.SkipWithError("batch failed");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));  // items = eth_calls answered
}
BENCHMARK(BM_EthCallJsonRpcBatch)->Arg(100)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_EthCallMulticallAggregate3(benchmark::State& state) {
    Node& node = Node::get();
    auto client = make_http_client(node.anvil->url());
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<SubCall> calls;
    for (Bytes& data : balance_calls(n)) calls.push_back(SubCall{node.aggregator, std::move(data), true});
    MulticallOptions options;
    options.max_calls_per_eth_call = n;
    Multicall multicall(client, node.aggregator, options);
    for (auto _ : state) {
        auto r = multicall.aggregate3(calls);
        if (!r || r->size() != n) state.SkipWithError("aggregate3 failed");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));  // items = sub-calls answered
}
BENCHMARK(BM_EthCallMulticallAggregate3)->Arg(100)->Arg(500)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Our side of aggregate3 alone (no I/O): calldata encoding plus result decoding.
void BM_Aggregate3Codec(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    Address target;
    target.bytes[19] = 1;
    std::vector<SubCall> calls;
    for (Bytes& data : balance_calls(n)) calls.push_back(SubCall{target, std::move(data), true});
    abi::Value::List items;
    for (std::size_t i = 0; i < n; ++i) items.emplace_back(abi::Value::List{abi::Value(true), abi::Value(Bytes(32, 7))});
    const std::vector<abi::Type> types{abi::parse_type("(bool,bytes)[]").value()};
    const abi::Value values[] = {abi::Value(std::move(items))};
    const Bytes answer = abi::encode(types, values).value();
    for (auto _ : state) {
        Bytes data = encode_aggregate3(calls);
        auto decoded = decode_aggregate3(answer, n);
        benchmark::DoNotOptimize(data);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Aggregate3Codec)->Arg(100)->Unit(benchmark::kMicrosecond);

// A hand-written HTTP/1.1 keep-alive client: the floor a JSON-RPC client can reach.
class RawHttp {
public:
    explicit RawHttp(std::uint16_t port) : port_(port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) die("socket");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) die("connect");
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    ~RawHttp() { ::close(fd_); }
    RawHttp(const RawHttp&) = delete;
    RawHttp& operator=(const RawHttp&) = delete;

    // POSTs `body`, returns the response body (empty on failure).
    std::string post(std::string_view body) {
        std::string request = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n";
        request.append(body);
        for (std::string_view rest = request; !rest.empty();) {
            const ssize_t n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
            if (n <= 0) return {};
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        std::size_t head_end;
        while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return {};
        std::size_t length = 0;
        const std::string_view head(buffer_.data(), head_end);
        for (std::string_view key : {"content-length:", "Content-Length:"}) {
            const std::size_t at = head.find(key);
            if (at == std::string_view::npos) continue;
            std::size_t p = at + key.size();
            while (p < head.size() && head[p] == ' ') ++p;
            std::from_chars(head.data() + p, head.data() + head.size(), length);
        }
        while (buffer_.size() < head_end + 4 + length)
            if (!fill()) return {};
        std::string out = buffer_.substr(head_end + 4, length);
        buffer_.erase(0, head_end + 4 + length);
        return out;
    }

private:
    bool fill() {
        char chunk[4096];
        const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }
    int fd_ = -1;
    std::uint16_t port_;
    std::string buffer_;
};

constexpr std::string_view kChainIdRequest = R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})";

void BM_ChainIdRawSocket(benchmark::State& state) {
    RawHttp raw(Node::get().anvil->port());
    for (auto _ : state) {
        auto body = raw.post(kChainIdRequest);
        if (body.empty()) state.SkipWithError("raw post failed");
        benchmark::DoNotOptimize(body);
    }
}
BENCHMARK(BM_ChainIdRawSocket)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ChainIdJsonRpcClient(benchmark::State& state) {
    auto client = make_http_client(Node::get().anvil->url());
    for (auto _ : state) {
        auto id = client.chain_id();
        if (!id) state.SkipWithError(id.error().message.c_str());
        benchmark::DoNotOptimize(id);
    }
}
BENCHMARK(BM_ChainIdJsonRpcClient)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Both paths interleaved in one loop so they see the same node and machine
// load; counters are mean microseconds per round trip and their difference.
void BM_ChainIdClientOverhead(benchmark::State& state) {
    Node& node = Node::get();
    RawHttp raw(node.anvil->port());
    auto client = make_http_client(node.anvil->url());
    using clock = std::chrono::steady_clock;
    std::chrono::nanoseconds raw_total{0}, client_total{0};
    for (auto _ : state) {
        const auto t0 = clock::now();
        auto body = raw.post(kChainIdRequest);
        const auto t1 = clock::now();
        auto id = client.chain_id();
        const auto t2 = clock::now();
        if (body.empty() || !id) state.SkipWithError("chain id failed");
        benchmark::DoNotOptimize(body);
        benchmark::DoNotOptimize(id);
        raw_total += t1 - t0;
        client_total += t2 - t1;
    }
    const double n = static_cast<double>(state.iterations());
    const double raw_us = static_cast<double>(raw_total.count()) / 1e3 / n;
    const double client_us = static_cast<double>(client_total.count()) / 1e3 / n;
    state.counters["raw_us"] = raw_us;
    state.counters["client_us"] = client_us;
    state.counters["overhead_us"] = client_us - raw_us;
}
BENCHMARK(BM_ChainIdClientOverhead)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace rpc_bench
