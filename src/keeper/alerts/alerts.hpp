#pragma once
// Operator alerts in one include: the policy that decides, the bodies, the sender, the
// dispatcher that posts them on a thread of its own.
#include "keeper/alerts/alert.hpp"
#include "keeper/alerts/alert_channels.hpp"
#include "keeper/alerts/alert_kinds.hpp"
#include "keeper/alerts/alert_dispatcher.hpp"
#include "keeper/alerts/alert_policy.hpp"
#include "keeper/alerts/channels_from_config.hpp"
#include "keeper/alerts/operator_alerts.hpp"
#include "keeper/alerts/webhook_body.hpp"
#include "keeper/alerts/webhook_sender.hpp"
#include "keeper/alerts/webhook_url.hpp"
