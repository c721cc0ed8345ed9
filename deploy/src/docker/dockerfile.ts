import { readFileSync } from 'node:fs';
import { Copy, DockerfileParser, Env, From, type Instruction, JSONInstruction } from 'dockerfile-ast';
import { repoPath } from '../repo.js';

/** What the checks read of a Dockerfile: every stage's base image and RUN lines, and the final image. */
export interface DockerfileFacts {
  baseImages: string[];
  runs: string[];
  final: {
    user?: string;
    env: Record<string, string>;
    expose: string[];
    volumes: string[];
    /** Sources copied from another stage, as `<stage>:<path>`. */
    copiesFromStages: string[];
    /** The exec form after HEALTHCHECK ... CMD. */
    healthcheck?: string[];
    entrypoint?: string[];
    cmd?: string[];
  };
}

export function readDockerfile(file: string): DockerfileFacts {
  const instructions = DockerfileParser.parse(readFileSync(repoPath(file), 'utf8')).getInstructions();
  const lastFrom = instructions.findLastIndex((instruction) => instruction instanceof From);
  const final = instructions.slice(lastFrom);
  const valuesOf = (keyword: string) =>
    final.filter((instruction) => instruction.getKeyword() === keyword).flatMap(argumentValues);
  return {
    baseImages: instructions.flatMap((instruction) =>
      instruction instanceof From ? [instruction.getImage() ?? ''] : [],
    ),
    runs: instructions.filter((instruction) => instruction.getKeyword() === 'RUN').map(content),
    final: {
      user: valuesOf('USER').at(-1),
      env: Object.fromEntries(
        final
          .filter((instruction): instruction is Env => instruction instanceof Env)
          .flatMap((instruction) =>
            instruction.getProperties().map((property) => [property.getName(), property.getValue() ?? '']),
          ),
      ),
      expose: valuesOf('EXPOSE'),
      volumes: final.filter((instruction) => instruction.getKeyword() === 'VOLUME').flatMap(execForm),
      copiesFromStages: final
        .filter(
          (instruction): instruction is Copy =>
            instruction instanceof Copy && instruction.getFromFlag() !== null,
        )
        .flatMap((copy) =>
          argumentValues(copy)
            .slice(0, -1)
            .map((source) => `${copy.getFromFlag()!.getValue()}:${source}`),
        ),
      healthcheck: lastOf(final, 'HEALTHCHECK', healthcheckCommand),
      entrypoint: lastOf(final, 'ENTRYPOINT', execForm),
      cmd: lastOf(final, 'CMD', execForm),
    },
  };
}

const content = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';

const argumentValues = (instruction: Instruction) =>
  instruction.getArguments().map((argument) => argument.getValue());

function lastOf<T>(
  instructions: Instruction[],
  keyword: string,
  read: (instruction: Instruction) => T,
): T | undefined {
  const found = instructions.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
  return found ? read(found) : undefined;
}

/** The JSON array of CMD, ENTRYPOINT or VOLUME; the shell form is refused (signals, no shell in images). */
function execForm(instruction: Instruction): string[] {
  const strings = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
  if (strings.length === 0)
    throw new Error(`line ${line(instruction)}: ${instruction.getKeyword()} must use the exec form`);
  return strings.map((argument) => argument.getJSONValue());
}

/** HEALTHCHECK's own parser in dockerfile-ast stops at the flags; the exec form after CMD is JSON. */
function healthcheckCommand(instruction: Instruction): string[] {
  const command = /^CMD\s+(\[[\s\S]*\])\s*$/.exec(content(instruction));
  if (!command) throw new Error(`line ${line(instruction)}: HEALTHCHECK must use CMD in the exec form`);
  return JSON.parse(command[1]!.replace(/\\\r?\n/g, '')) as string[];
}

const line = (instruction: Instruction) => instruction.getRange().start.line + 1;
