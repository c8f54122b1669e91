#include "protocols/yield_v2/yield_adapter.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/keccak.hpp"
#include "keeper/state/state_store.hpp"
#include "protocols/health_text.hpp"
#include "protocols/saved_state.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "protocols/yield_v2/yield_events.hpp"
#include "protocols/yield_v2/yield_math.hpp"

namespace keeper::yield_v2 {
namespace {

Result<Bytes> call_at(chain::JsonRpcClient& client, const Address& to, Bytes data, std::uint64_t block,
                      std::string_view what) {
    chain::CallRequest request{.from = std::nullopt, .to = to, .data = std::move(data), .value = std::nullopt,
                               .gas = std::nullopt};
    auto out = client.eth_call(request, chain::BlockId::number(block));
    if (!out) return std::unexpected(context(what, Error(out.error())));
    return std::move(*out);
}

Result<Address> read_address(chain::JsonRpcClient& client, const Address& to, Bytes data, std::uint64_t block,
                             std::string_view what) {
    auto out = call_at(client, to, std::move(data), block, what);
    if (!out) return std::unexpected(out.error());
    auto a = decode_address(*out);
    if (!a) return std::unexpected(context(what, a.error()));
    return *a;
}

// 1e18 x value / required, the Cauldron's margin as a health factor (1.0 =
// level 0); U256 max for a vault with no debt.
U256 health_wad(const VaultReading& v) {
    auto debt = debt_to_base(v.balances.art, v.accrual_wad);
    if (!debt) return U256::max();
    const auto required = wmul(*debt, U256(v.spot.ratio_1e6) * U256::pow10(12));
    if (!required || required->is_zero()) return U256::max();
    return mul_div_down(v.ink_value, wad(), *required).value_or(U256::max());
}

protocols::PositionRow row_of(const VaultReading& v) {
    protocols::PositionRow row;
    row.protocol = std::string(kKind);
    row.account = v.auction.start != 0 ? v.auction.owner : v.vault.owner;
    row.health_wad = health_wad(v);
    row.liquidatable = undercollateralised(v.level);
    row.where = v.id.hex();
    row.collateral_text = v.balances.ink.to_dec();
    row.debt_text = v.balances.art.to_dec();
    return row;
}

}  // namespace

YieldAdapter::YieldAdapter(const YieldConfig& config, protocols::AdapterServices services)
    : config_(config), services_(std::move(services)), key_(config.key()) {}

Result<std::optional<chain::BlockRef>> YieldAdapter::open(const chain::BlockHeader& head) {
    auto cauldron = read_address(services_.client, config_.witch, encode_witch_cauldron(), head.number,
                                 "Witch.cauldron()");
    if (!cauldron) return std::unexpected(cauldron.error());
    if (*cauldron != config_.cauldron)
        return fail("the Witch " + config_.witch.hex() + " serves the Cauldron " + cauldron->hex() + ", not " +
                    config_.cauldron.hex());
    auto ladle = read_address(services_.client, config_.witch, encode_witch_ladle(), head.number, "Witch.ladle()");
    if (!ladle) return std::unexpected(ladle.error());
    ladle_ = *ladle;
    synced_ = config_.start == 0 ? 0 : config_.start - 1;
    auto restore = [&](const state::FollowedSnapshot& saved) {
        for (const state::FollowedId& row : saved.ids)
            if (auto id = VaultId::from_bytes(row.id)) vaults_.emplace(*id, row.first_block);
        return std::to_string(vaults_.size()) + " vaults";
    };
    auto cursor = protocols::restore_or_resync<state::FollowedSnapshot>(services_, key_, config_.start, head,
                                                                        &state::StateStore::load_followed, restore);
    if (cursor && *cursor) synced_ = (*cursor)->number;
    return cursor;
}

chain::LogFilter YieldAdapter::log_filter() const {
    return chain::LogFilter{{config_.cauldron, config_.witch}, followed_topics()};
}

Result<void> YieldAdapter::apply(std::span<const chain::Log> logs, const chain::BlockRef& through) {
    for (const chain::Log& log : logs) {
        if (log.address != config_.cauldron && log.address != config_.witch) continue;
        auto event = decode_event(log);
        if (!event) return std::unexpected(context("yield log in block " + std::to_string(log.block_number.value_or(0)),
                                                   event.error()));
        if (!*event) continue;
        const std::uint64_t block = log.block_number.value_or(through.number);
        auto remember = [&](const VaultId& id) {
            if (vaults_.emplace(id, block).second) unsaved_.insert(id);
        };
        remember(vault_of(**event));
        if (const auto* stirred = std::get_if<VaultStirred>(&**event)) remember(stirred->to);
        if (const auto* destroyed = std::get_if<VaultDestroyed>(&**event)) {
            vaults_.erase(destroyed->vault);
            unsaved_.insert(destroyed->vault);
        }
    }
    if (auto saved = persist(through); !saved) return saved;
    synced_ = through.number;
    return {};
}

Result<void> YieldAdapter::rollback(const chain::BlockRef& tip) {
    std::erase_if(vaults_, [&](const auto& entry) {
        if (entry.second <= tip.number) return false;
        unsaved_.insert(entry.first);
        return true;
    });
    synced_ = tip.number;
    return persist(tip);
}

Result<void> YieldAdapter::persist(const chain::BlockRef& through) {
    if (services_.store == nullptr) return {};
    std::vector<state::FollowedId> seen;
    std::vector<Bytes> gone;
    for (const VaultId& id : unsaved_) {
        const Bytes bytes(id.bytes.begin(), id.bytes.end());
        if (const auto found = vaults_.find(id); found != vaults_.end())
            seen.push_back({bytes, found->second});
        else
            gone.push_back(bytes);
    }
    auto committed = services_.store->commit_followed(key_, {through.number, through.hash}, seen, gone);
    if (committed) unsaved_.clear();
    return committed;
}

Result<AssetContracts> YieldAdapter::asset(const AssetId& id, std::uint64_t block) {
    if (const auto it = assets_.find(id); it != assets_.end()) return it->second;
    auto token = read_address(services_.client, config_.cauldron, encode_cauldron_assets(id), block,
                              "Cauldron.assets(" + id.hex() + ")");
    if (!token) return std::unexpected(token.error());
    auto join = read_address(services_.client, ladle_, encode_ladle_joins(id), block, "Ladle.joins(" + id.hex() + ")");
    if (!join) return std::unexpected(join.error());
    AssetContracts contracts{*token, *join};
    if (!join->is_zero()) assets_.emplace(id, contracts);  // a join may still be added: re-read until it is
    return contracts;
}

Result<void> YieldAdapter::refresh(const chain::BlockHeader& head) {
    auto snap = std::make_shared<YieldSnapshot>();
    snap->block = head.number;
    snap->timestamp = head.timestamp;
    snap->addresses = YieldAddresses{config_.cauldron, config_.witch};
    for (const auto& [id, first_seen] : vaults_) {
        if (first_seen > head.number) continue;
        auto reading = read_vault(services_.client, snap->addresses, id, head.number, head.timestamp);
        if (!reading) {
            snap->position_errors.push_back("vault " + id.hex() + ": " + reading.error().message);
            continue;
        }
        if (reading->balances.art.is_zero() && reading->auction.start == 0) continue;
        bool assets_ok = true;
        for (const AssetId& asset_id : {reading->series.base_id, reading->vault.ilk_id}) {
            auto contracts = asset(asset_id, head.number);
            if (!contracts) {
                snap->read_errors.emplace_back("asset " + asset_id.hex(), contracts.error().message);
                assets_ok = false;
                continue;
            }
            snap->assets[asset_id] = *contracts;
        }
        if (!assets_ok) continue;
        snap->fy_tokens[reading->vault.series_id] = reading->series.fy_token;
        snap->vaults.push_back(std::move(*reading));
    }
    // Riskiest first.
    std::vector<std::pair<protocols::PositionRow, std::size_t>> order;
    for (std::size_t i = 0; i < snap->vaults.size(); ++i) order.emplace_back(row_of(snap->vaults[i]), i);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first.health_wad < b.first.health_wad; });
    std::vector<VaultReading> sorted;
    for (auto& [row, i] : order) {
        snap->rows.push_back(std::move(row));
        sorted.push_back(std::move(snap->vaults[i]));
    }
    snap->vaults = std::move(sorted);
    snapshot_ = std::move(snap);
    return {};
}

std::vector<protocols::FundingToken> YieldAdapter::funding_tokens(const protocols::Snapshot& snapshot,
                                                                  const protocols::DecisionInput& input) const {
    const auto* s = dynamic_cast<const YieldSnapshot*>(&snapshot);
    if (s == nullptr) return {};
    std::map<Address, std::string> tokens;
    for (const VaultReading& v : s->vaults) {
        if (v.auction.start == 0 || input.busy.contains(bid_work_key(v.id))) continue;
        if (const auto base = s->assets.find(v.series.base_id); base != s->assets.end())
            tokens.emplace(base->second.token, "base " + v.series.base_id.hex() + " token " + base->second.token.hex());
        if (const auto fy = s->fy_tokens.find(v.vault.series_id); fy != s->fy_tokens.end())
            tokens.emplace(fy->second, "series " + v.vault.series_id.hex() + " fyToken " + fy->second.hex());
    }
    std::vector<protocols::FundingToken> out;
    for (auto& [token, label] : tokens) out.push_back({token, std::move(label)});
    return out;
}

protocols::Decisions YieldAdapter::decide(const protocols::Snapshot& snapshot,
                                          const protocols::DecisionInput& input) const {
    const auto* s = dynamic_cast<const YieldSnapshot*>(&snapshot);
    if (s == nullptr) return {};
    YieldDecideSettings settings;
    settings.protocol_key = key_;
    settings.min_profit_base = config_.min_profit_base;
    settings.bid_gas_cost_base = config_.bid_gas_cost_base;
    settings.block_interval_s = config_.block_interval_s;
    settings.gas_margin_percent = services_.settings.gas_margin_percent;
    settings.dry_run = input.dry_run;
    if (config_.rival_gas_cost_base && config_.rival_min_profit_base)
        settings.rival = YieldDecideSettings::Rival{*config_.rival_gas_cost_base, *config_.rival_min_profit_base};
    // Enough blocks to see every auction to its end (payouts stop growing there).
    std::uint64_t longest = 0;
    for (const VaultReading& v : s->vaults) longest = std::max<std::uint64_t>(longest, v.line.duration);
    settings.horizon_blocks = std::min<std::uint64_t>(longest / config_.block_interval_s + 1, 100'000);
    if (!s->vaults.empty()) {
        const auto base = s->assets.find(s->vaults.front().series.base_id);
        if (base != s->assets.end()) {
            const auto price = services_.settings.native_price_1e36.find(base->second.token);
            if (price != services_.settings.native_price_1e36.end()) settings.base_per_wei_1e36 = price->second;
        }
    }
    return decide_yield(*s, input, settings);
}

bool YieldAdapter::owns(std::string_view work_key, const Address& to) const {
    return to == config_.witch && (work_key.starts_with("yield-auction:") || work_key.starts_with("yield-bid:"));
}

// What moved for the sender: the collateral token's transfers to it and the
// debt token's transfers from it (the Witch's own Bought event counts both
// cuts and the art, not the base paid); the Auctioned event's amounts for a
// start.
protocols::Settlement YieldAdapter::settle(const protocols::Prediction& predicted, const chain::Receipt& receipt) const {
    static const Bytes32 transfer = keccak256(std::string_view("Transfer(address,address,uint256)"));
    auto word_address = [](const Bytes32& topic) {
        Address a;
        std::copy(topic.bytes.begin() + 12, topic.bytes.end(), a.bytes.begin());
        return a;
    };
    std::optional<Bought> bought;
    U256 received;
    U256 paid;
    bool any_received = false;
    bool any_paid = false;
    for (const chain::Log& log : receipt.logs) {
        if (log.topics.size() == 3 && log.topics[0] == transfer && log.data.size() == 32) {
            const U256 value = U256::from_be(log.data);
            if (log.address == predicted.collateral_token && word_address(log.topics[2]) == receipt.from) {
                received += value;
                any_received = true;
            }
            if (log.address == predicted.debt_token && word_address(log.topics[1]) == receipt.from) {
                paid += value;
                any_paid = true;
            }
            continue;
        }
        if (log.address != config_.witch) continue;
        auto event = decode_event(log);
        if (!event || !*event || position_id(vault_of(**event)) != predicted.position_id) continue;
        if (const auto* b = std::get_if<Bought>(&**event)) bought = *b;
        if (const auto* auctioned = std::get_if<Auctioned>(&**event))
            return protocols::Settlement{auctioned->auction.ink, auctioned->auction.art};
    }
    if (!bought) return {};
    return protocols::Settlement{any_received ? received : bought->ink, any_paid ? paid : bought->art};
}

}  // namespace keeper::yield_v2

namespace keeper::protocols {

ProtocolKind yield_v2_protocol() {
    return ProtocolKind{
        yield_v2::kKind,
        [](ConfigTable& table) { return yield_v2::parse_yield_config(table); },
        [](const ProtocolConfig& config, AdapterServices services) -> std::unique_ptr<ProtocolAdapter> {
            return std::make_unique<yield_v2::YieldAdapter>(dynamic_cast<const yield_v2::YieldConfig&>(config),
                                                            std::move(services));
        }};
}

}  // namespace keeper::protocols
