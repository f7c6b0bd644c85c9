#!/usr/bin/env bash
# Creates the OSS Object FC access point that sends GetObject to the transflux-object-fc function, through the OSS API
# CreateAccessPointForObjectProcess (PUT /?accessPointForObjectProcess with the x-oss-access-point-for-object-process-name
# header), signed by ossutil. Needs: ossutil 2.x configured, BUCKET, REGION, ACCOUNT_ID, a supporting access point
# SUPPORTING_AP (ossutil api put-access-point) and the role FC assumes (ROLE_ARN).
set -euo pipefail
: "${BUCKET:?}" "${REGION:?}" "${ACCOUNT_ID:?}" "${SUPPORTING_AP:?}" "${ROLE_ARN:?}"
NAME="${NAME:-transflux-fc-ap}"
FUNCTION_ARN="acs:fc:${REGION}:${ACCOUNT_ID}:functions/transflux-object-fc"
cat > /tmp/transflux-fc-ap.xml <<XML
<CreateAccessPointForObjectProcessConfiguration>
  <AccessPointName>${SUPPORTING_AP}</AccessPointName>
  <ObjectProcessConfiguration>
    <AllowedFeatures>
      <AllowedFeature>GetObject-Range</AllowedFeature>
    </AllowedFeatures>
    <TransformationConfigurations>
      <TransformationConfiguration>
        <Actions>
          <Action>GetObject</Action>
        </Actions>
        <ContentTransformation>
          <FunctionCompute>
            <FunctionAssumeRoleArn>${ROLE_ARN}</FunctionAssumeRoleArn>
            <FunctionArn>${FUNCTION_ARN}</FunctionArn>
          </FunctionCompute>
        </ContentTransformation>
      </TransformationConfiguration>
    </TransformationConfigurations>
  </ObjectProcessConfiguration>
</CreateAccessPointForObjectProcessConfiguration>
XML
ossutil api invoke-operation --op-name create-access-point-for-object-process --method PUT \
  --bucket "${BUCKET}" --parameters accessPointForObjectProcess \
  --headers "x-oss-access-point-for-object-process-name=${NAME}" --body file:///tmp/transflux-fc-ap.xml
