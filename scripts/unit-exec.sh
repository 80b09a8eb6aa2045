#!/bin/bash
# Prints the command line a systemd unit's ExecStart= runs, one NUL-terminated argument each, as systemd would build
# it: the [Service] section's EnvironmentFile= read (KEY=VALUE lines, # and ; comments, quotes removed), the line
# split into words (quotes group), "$NAME" as a word of its own replaced by the value split at whitespace (zero or
# more arguments), "${NAME}" replaced by the value as it is within its word, %% as %. For checks where systemd does
# not run the unit (the test VM has no systemd; the host tests run no service): scripts/check-deb.sh,
# vm/e2e-reliability.sh (installed).
#   scripts/unit-exec.sh UNIT [ENV_FILE]     ENV_FILE: read instead of the unit's EnvironmentFile=
# Read it with: mapfile -d '' argv < <(scripts/unit-exec.sh UNIT)
# Only what our unit uses: one ExecStart= and at most one EnvironmentFile=; other %-specifiers are refused.
set -euo pipefail
fail() { echo "unit-exec.sh: $*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || fail "usage: unit-exec.sh UNIT [ENV_FILE]"
unit=$1
[ -r "$unit" ] || fail "cannot read $unit"

section="" exec_line="" env_file=""
while IFS= read -r line || [ -n "$line" ]; do
  line=${line#"${line%%[![:space:]]*}"}
  case "$line" in
    '#'*|';'*|'') continue ;;
    '['*']') section=$line ;;
    ExecStart=*) [ "$section" = '[Service]' ] && exec_line=${line#ExecStart=} ;;
    EnvironmentFile=*) [ "$section" = '[Service]' ] && env_file=${line#EnvironmentFile=} ;;
  esac
done < "$unit"
[ -n "$exec_line" ] || fail "no ExecStart= in the [Service] section of $unit"

declare -A env=()
optional=0
[[ "$env_file" == -* ]] && { optional=1; env_file=${env_file#-}; }
env_file=${2:-$env_file}
if [ -n "$env_file" ]; then
  if [ -r "$env_file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line#"${line%%[![:space:]]*}"}
      case "$line" in '#'*|';'*|'') continue ;; esac
      [[ "$line" == [A-Za-z_]*=* ]] || fail "$env_file: not KEY=VALUE: $line"
      key=${line%%=*} value=${line#*=}
      value=${value#"${value%%[![:space:]]*}"}
      value=${value%"${value##*[![:space:]]}"}
      if [[ "$value" == \"*\" && ${#value} -ge 2 ]] || [[ "$value" == \'*\' && ${#value} -ge 2 ]]; then
        value=${value:1:${#value}-2}
      fi
      env[$key]=$value
    done < "$env_file"
  elif [ $optional -eq 0 ]; then
    fail "cannot read $env_file (EnvironmentFile= of $unit)"
  fi
fi

# Words first (quotes group, and are removed), remembering which were quoted: "$NAME" is split only unquoted.
words=() quoted=()
word="" inword=0 q="" wasq=0
exec_line=${exec_line#[-@:+!]}
for ((i = 0; i < ${#exec_line}; i++)); do
  c=${exec_line:i:1}
  if [ -n "$q" ]; then
    if [ "$c" = "$q" ]; then q=""; else word+=$c; fi
  elif [ "$c" = '"' ] || [ "$c" = "'" ]; then
    q=$c inword=1 wasq=1
  elif [[ "$c" == [[:space:]] ]]; then
    [ $inword -eq 1 ] && { words+=("$word"); quoted+=("$wasq"); }
    word="" inword=0 wasq=0
  else
    word+=$c inword=1
  fi
done
[ -z "$q" ] || fail "unterminated quote in ExecStart= of $unit"
[ $inword -eq 1 ] && { words+=("$word"); quoted+=("$wasq"); }

for i in "${!words[@]}"; do
  w=${words[i]}
  if [ "${quoted[i]}" = 0 ] && [[ "$w" =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
    read -ra split <<< "${env[${BASH_REMATCH[1]}]:-}"
    for s in "${split[@]}"; do printf '%s\0' "$s"; done
    continue
  fi
  out=""
  while [[ "$w" =~ ^([^$%]*)(\$\{([A-Za-z_][A-Za-z0-9_]*)\}|%%|%.|\$)(.*)$ ]]; do
    out+=${BASH_REMATCH[1]}
    case "${BASH_REMATCH[2]}" in
      '%%') out+=% ;;
      %*) fail "specifier ${BASH_REMATCH[2]} in ExecStart= of $unit is not supported here" ;;
      '$') out+='$' ;;
      *) out+=${env[${BASH_REMATCH[3]}]:-} ;;
    esac
    w=${BASH_REMATCH[4]}
  done
  printf '%s\0' "$out$w"
done
