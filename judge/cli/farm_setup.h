// What the commands that use the judge farm share: --queue and --queue-name,
// what a producer may not choose (the workers do), and the check that Redis
// answers before anything is sent.
#pragma once

#include <optional>

#include "judge/cli/options.h"
#include "judge/farm/farm_producer.h"

namespace pyjudge::cli {

// --queue URL and --queue-name NAME, for a producer (batch, grade, verify, watch) or for
// the worker (which requires --queue).
enum class QueueRole { Producer, Worker };
void add_queue_options(po::options_description& d, QueueRole role = QueueRole::Producer);

// The farm from --queue (nothing without it), the password from
// PYJUDGE_QUEUE_PASSWORD when the URL has none. Throws UsageError.
std::optional<judge::FarmTarget> farm_target_from(const po::variables_map& vm);

// With --queue the workers' operator picks the image, the runtime and the
// seccomp profile: giving them to a producer is a UsageError.
void refuse_worker_choices(const po::variables_map& vm);

// Connects once: UnavailableError (exit 3) naming the URL and why (refused,
// wrong password) when Redis cannot be used.
void require_farm(const judge::FarmTarget& farm);

}  // namespace pyjudge::cli
